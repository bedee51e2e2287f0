import { nameSimilarity } from './names';

/** What the scorer needs of one candidate entity (taken from the node record). */
export interface ScoredEntity {
  name: string;
  aliases?: readonly string[] | null;
  birthDate?: string | null;
  nationality?: readonly string[] | null;
  /** Compounds: one country; organisations: a list. */
  country?: string | readonly string[] | null;
}

/** A score in 0..1 and the evidence behind it, as field names only (never the values: they may identify a victim). */
export interface PairScore {
  score: number;
  reasons: string[];
}

function countries(entity: ScoredEntity): string[] {
  const country = entity.country;
  const list = Array.isArray(country) ? country : typeof country === 'string' ? [country] : [];
  return [...(entity.nationality ?? []), ...list];
}

/** True when two partial dates (YYYY, YYYY-MM, YYYY-MM-DD) can name the same day. */
function datesCompatible(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * Scores a candidate duplicate pair. Weights: names 0.55, birth date 0.2 (compatible) or -0.3 (conflicting),
 * nationality/country 0.1 (shared) or -0.1 (disjoint, both known), shared neighbours up to 0.15 (0.05 each).
 * The result is clamped to 0..1 and rounded to three decimals.
 *
 *     scorePair({ name: 'Chen Zhi' }, { name: 'ZHI CHEN' }, 0) // { score: 0.55, reasons: ['name'] }
 */
export function scorePair(a: ScoredEntity, b: ScoredEntity, sharedNeighbours: number): PairScore {
  const reasons: string[] = [];
  const names = nameSimilarity([a.name, ...(a.aliases ?? [])], [b.name, ...(b.aliases ?? [])]);
  let score = 0.55 * names;
  if (names > 0) reasons.push(names === 1 ? 'name' : 'similar name');
  if (a.birthDate && b.birthDate) {
    if (datesCompatible(a.birthDate, b.birthDate)) {
      score += 0.2;
      reasons.push('birthDate');
    } else {
      score -= 0.3;
      reasons.push('different birthDate');
    }
  }
  const left = countries(a);
  const right = countries(b);
  if (left.length && right.length) {
    if (left.some((c) => right.includes(c))) {
      score += 0.1;
      reasons.push('country');
    } else {
      score -= 0.1;
      reasons.push('different country');
    }
  }
  if (sharedNeighbours > 0) {
    score += Math.min(0.15, 0.05 * sharedNeighbours);
    reasons.push(`${sharedNeighbours} shared neighbour${sharedNeighbours === 1 ? '' : 's'}`);
  }
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000, reasons };
}

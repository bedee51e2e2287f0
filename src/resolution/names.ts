/**
 * Name normalisation for entity resolution. Pure functions: no database, no I/O.
 * "Chen Zhi", "Zhi Chen", "CHEN ZHI" and "Chén Zhì" all give the key `chen zhi`.
 */

/** Common transliteration spellings folded onto one form (Pinyin/Wade-Giles, Thai/Lao, Burmese romanisations). */
const VARIANTS: Record<string, string> = {
  tsai: 'cai',
  chang: 'zhang',
  chou: 'zhou',
  hsu: 'xu',
  mohammed: 'muhammad',
  mohamed: 'muhammad',
  mohammad: 'muhammad',
  muhammed: 'muhammad',
};

/**
 * Characters that are not drawn (soft hyphens, zero-width spaces and joiners, word joiners, byte-order marks,
 * variation selectors): text copied from PDFs and web pages carries them inside words, where a reader sees none.
 */
export const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Folds case and accents and splits a name into tokens of letters and digits. Invisible characters are dropped
 * first, so "Quill\u00ADfeather" (a soft hyphen) is the one token "quillfeather", as a reader sees it.
 */
export function foldTokens(name: string): string[] {
  return name
    .replace(INVISIBLE, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

/** {@link foldTokens} with common transliteration variants unified (Tsai -> cai). */
export function nameTokens(name: string): string[] {
  return foldTokens(name).map((token) => VARIANTS[token] ?? token);
}

/** The blocking key of one name: its folded tokens, sorted (word order does not matter), joined by a space. */
export function nameKey(name: string): string {
  return [...new Set(nameTokens(name))].sort().join(' ');
}

/** The blocking keys of an entity: one per name and alias, without duplicates; written at load as `nameKeys`. */
export function nameKeys(name: string, aliases: readonly string[] = []): string[] {
  return [...new Set([name, ...aliases].map(nameKey).filter((key) => key.length > 0))].sort();
}

/** Jaccard similarity of two token sets, 0..1. */
function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  const shared = [...left].filter((token) => right.has(token)).length;
  const union = new Set([...left, ...right]).size;
  return union === 0 ? 0 : shared / union;
}

/** The best token similarity between any name or alias of one entity and any of the other, 0..1. */
export function nameSimilarity(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  for (const x of a) for (const y of b) best = Math.max(best, jaccard(nameTokens(x), nameTokens(y)));
  return best;
}

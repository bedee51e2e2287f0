import type { ImportItem, ImportRecord } from '../../src/ingest/importRecords';

/**
 * A synthetic scam-compound graph of any size, deterministic from a seed number: the same `scale` and
 * `seed` give the same records with the same ids, byte for byte. Shape (all invented, all marked synthetic):
 * a few large criminal conglomerates with front companies; compounds in kh, mm, la, ph and my, owned by the
 * conglomerates with a heavy tail (the largest runs many); brokers and recruiters who serve several compounds;
 * guards; and victims (`:Victim`, pseudonymous names) each with a recruitment, a transit into a first compound,
 * a heavy-tailed chain of transfers between compounds (most victims none or one, a few many), and often an exit
 * (escape, rescue or release). Records come in dependency order, so any batch size works.
 */

/** A small, fast, seedable PRNG (mulberry32), so the output depends on the seed alone. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = [
  { code: 'kh', weight: 0.4, regions: ['Preah Sihanouk', 'Koh Kong', 'Oddar Meanchey', 'Svay Rieng', 'Kandal'] },
  { code: 'mm', weight: 0.3, regions: ['Kayin State', 'Shan State', 'Tachileik'] },
  { code: 'la', weight: 0.12, regions: ['Bokeo'] },
  { code: 'ph', weight: 0.1, regions: ['Pampanga', 'Tarlac', 'Metro Manila'] },
  { code: 'my', weight: 0.08, regions: ['Sabah', 'Johor'] },
] as const;
const VICTIM_NATIONALITIES = ['cn', 'id', 'vn', 'th', 'ph', 'mm', 'my', 'in', 'lk', 'ke', 'et', 'ug', 'bd', 'np', 'tw'];
const AGE_BANDS = ['18-20', '21-23', '24-26', '27-29', '30-38', '39-47'];
const SYLLABLES = ['an', 'bo', 'chen', 'da', 'el', 'fa', 'gu', 'hai', 'ir', 'jun', 'ko', 'lin', 'mei', 'na', 'or', 'pa', 'qi', 'ra', 'su', 'ti', 'wen', 'xu', 'ya', 'zo'];
const CHANNELS = ['social_media', 'job_ad', 'acquaintance', 'agency', 'other'];
const SECURITY = ['perimeter_wall', 'barbed_wire', 'guards', 'armed_guards', 'cctv'];

/**
 * The version of what {@link generateSynthetic} writes for a scale and seed: raised whenever its records change, so that
 * a store built by an earlier one is built again (bench/lib/stores.ts). 2: event ids no longer carry the victim's number.
 */
export const SYNTHETIC_GENERATOR_VERSION = 2;

/**
 * The id of the `n`th event of the dataset: `n` scrambled by a bijection of 32-bit integers (so ids stay unique), then
 * the event's kind. An id must not point to the victim (seed/FORMAT.md, "Ids"): numbered after the victim, or in the
 * order a victim's events are written, ids would let anyone who sees the events group one victim's into a chain.
 *
 *     syntheticEventId(0, 'recruitment') // 'event:syn-2776ac08-recruitment'
 */
export function syntheticEventId(n: number, kind: string): string {
  let x = Math.imul((n ^ 0x5bd1e995) >>> 0, 0x9e3779b1) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  return `event:syn-${x.toString(16).padStart(8, '0')}-${kind}`;
}

/** How many of each kind of record a scale gives: roughly `scale` nodes in all. */
export interface SyntheticPlan {
  sources: number;
  conglomerates: number;
  companies: number;
  compounds: number;
  brokers: number;
  recruiters: number;
  guards: number;
  victims: number;
}

/** The plan for `scale` nodes: fixed shares for organisations, compounds and staff; the rest victims and their events. */
export function planSynthetic(scale: number): SyntheticPlan {
  const sources = Math.max(2, Math.round(scale / 2000));
  const conglomerates = Math.max(2, Math.min(25, Math.round(Math.log10(Math.max(scale, 10)) * 2)));
  const companies = Math.max(conglomerates, Math.round(scale * 0.004));
  const compounds = Math.max(5, Math.round(scale * 0.008));
  const brokers = Math.max(3, Math.round(scale * 0.006));
  const recruiters = Math.max(3, Math.round(scale * 0.006));
  const guards = Math.max(3, Math.round(scale * 0.01));
  const fixed = sources + conglomerates * 2 + companies + compounds + brokers + recruiters + guards;
  // A victim is one node plus about 4.1 events on average (recruitment, transit, ~1.4 transfers, 0.7 exits).
  const victims = Math.max(1, Math.round((scale - fixed) / 5.1));
  return { sources, conglomerates, companies, compounds, brokers, recruiters, guards, victims };
}

const pad = (n: number, width = 6): string => String(n).padStart(width, '0');

/**
 * Yields the synthetic dataset's records for `scale` nodes from `seed`, in dependency order.
 *
 *     await importRecords(generateSynthetic(100_000, 42), executor, { dataset: 'synthetic', synthetic: true });
 */
export function* generateSynthetic(scale: number, seed: number): Generator<ImportItem> {
  const random = createRandom(seed);
  const plan = planSynthetic(scale);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  /** A Zipf-like index into 0..n-1: small indexes much more likely, the heavy tail of real ownership. */
  const skewed = (n: number): number => Math.min(n - 1, Math.floor(n * random() ** 2.5));
  const name = (parts: number): string =>
    Array.from({ length: parts }, () => pick(SYLLABLES) + pick(SYLLABLES))
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ');
  let n = 0;
  const rec = (type: ImportRecord['type'], value: Record<string, unknown>): ImportRecord => ({
    location: `record ${(n += 1)}`,
    type,
    value,
  });
  const sourceIds = Array.from({ length: plan.sources }, (_, i) => `source:syn-${pad(i, 5)}`);
  const cite = (): string[] => [pick(sourceIds)];

  for (const [i, id] of sourceIds.entries()) {
    yield rec('source', {
      id,
      title: `Synthetic case file ${i + 1} (invented)`,
      kind: 'synthetic',
      reliability: pick(['B', 'C', 'D', 'F']),
      published: `${between(2020, 2026)}-${pad(between(1, 12), 2)}`,
      notes: 'SYNTHETIC: generated by seed/synthetic; describes no real event.',
    });
  }

  const conglomerates = Array.from({ length: plan.conglomerates }, (_, i) => `organisation:syn-conglomerate-${pad(i, 3)}`);
  for (const id of conglomerates) {
    yield rec('organisation', {
      id, name: `${name(2)} Holdings (synthetic)`, kind: 'criminal_conglomerate', country: [pick(COUNTRIES).code],
      topics: ['crime.traffick.human'], description: 'SYNTHETIC conglomerate.', sources: cite(),
    });
  }
  const companies: { id: string; parent: string }[] = [];
  for (let i = 0; i < plan.companies; i += 1) {
    const company = { id: `organisation:syn-company-${pad(i)}`, parent: conglomerates[skewed(conglomerates.length)]! };
    companies.push(company);
    yield rec('organisation', { id: company.id, name: `${name(2)} Development Co. (synthetic)`, kind: 'company', country: [pick(COUNTRIES).code], sources: cite() });
  }

  const compounds: { id: string; operator: string; country: string }[] = [];
  const perCountry = new Map<string, number>();
  for (let i = 0; i < plan.compounds; i += 1) {
    let roll = random();
    const country = COUNTRIES.find((c) => (roll -= c.weight) < 0) ?? COUNTRIES[0];
    const index = perCountry.get(country.code) ?? 0;
    perCountry.set(country.code, index + 1);
    const operator = companies[skewed(companies.length)]!.id;
    const compound = { id: `compound:syn-${country.code}-${pad(index)}`, operator, country: country.code };
    compounds.push(compound);
    yield rec('compound', {
      id: compound.id,
      name: `${name(1)} ${pick(['Park', 'Compound', 'Tower', 'Zone', 'Garden'])} (synthetic)`,
      country: country.code,
      region: pick(country.regions),
      status: pick(['operating', 'operating', 'operating', 'raided', 'closed', 'relocated', 'unknown']),
      securityFeatures: SECURITY.filter(() => random() < 0.5),
      estimatedHeadcount: between(50, 8000),
      sources: cite(),
    });
  }

  const bosses = conglomerates.map((_, i) => `person:syn-boss-${pad(i, 3)}`);
  for (const id of bosses) yield rec('person', { id, name: `${name(2)} (synthetic)`, roles: ['boss'], nationality: [pick(['cn', 'kh', 'tw', 'mm'])], sources: cite() });
  const staff = (role: 'broker' | 'recruiter' | 'guard', count: number): string[] => Array.from({ length: count }, (_, i) => `person:syn-${role}-${pad(i)}`);
  const brokers = staff('broker', plan.brokers);
  const recruiters = staff('recruiter', plan.recruiters);
  const guards = staff('guard', plan.guards);
  for (const [role, ids] of [['broker', brokers], ['recruiter', recruiters], ['guard', guards]] as const) {
    for (const id of ids) yield rec('person', { id, name: `${name(2)} (synthetic)`, roles: [role], nationality: [pick(VICTIM_NATIONALITIES)], sources: cite() });
  }

  const rel = (type: string, from: string, to: string, extra: Record<string, unknown> = {}): ImportRecord =>
    rec('relationship', { type, from, to, sources: cite(), ...extra });
  for (const [i, id] of conglomerates.entries()) yield rel('LEADS', bosses[i]!, id, { position: 'Chairman', start: String(between(2012, 2019)) });
  for (const company of companies) yield rel('PART_OF', company.id, company.parent);
  for (const compound of compounds) yield rel('OPERATES', compound.operator, compound.id, { start: String(between(2016, 2022)) });
  // Brokers and recruiters each serve several compounds; guards one.
  const serves = new Map<string, string[]>();
  for (const [ids, min, max] of [[brokers, 2, 6], [recruiters, 1, 4], [guards, 1, 1]] as const) {
    for (const id of ids) {
      const served = [...new Set(Array.from({ length: between(min, max) }, () => compounds[skewed(compounds.length)]!.id))];
      serves.set(id, served);
      for (const compound of served) yield rel('WORKS_AT', id, compound, { start: String(between(2018, 2024)) });
    }
  }
  for (let i = 0; i + 1 < brokers.length; i += 1) if (random() < 0.3) yield rel('ASSOCIATE_OF', brokers[i]!, brokers[between(i + 1, brokers.length - 1)]!);

  const operatorOf = new Map(compounds.map((c) => [c.id, c.operator]));
  let events = 0;
  for (let v = 0; v < plan.victims; v += 1) {
    const id = `person:syn-victim-${pad(v, 7)}`;
    const nationality = pick(VICTIM_NATIONALITIES);
    yield rec('person', {
      id,
      name: `Synthetic Victim ${name(2)} (pseudonym)`,
      roles: ['victim'],
      nationality: [nationality],
      gender: pick(['female', 'male', 'male']),
      ageBand: pick(AGE_BANDS),
      sources: cite(),
    });
    let year = between(2019, 2025);
    let month = between(1, 12);
    const date = (): string => `${year}-${pad(month, 2)}`;
    const later = (): void => {
      month += between(1, 5);
      while (month > 12) {
        month -= 12;
        year += 1;
      }
    };
    const event = (kind: string, value: Record<string, unknown>): ImportRecord =>
      rec('event', { id: syntheticEventId(events++, kind), date: date(), sources: cite(), ...value });
    const recruiter = pick(recruiters);
    yield event('recruitment', {
      kind: 'recruitment', title: 'Recruitment (synthetic)', country: nationality, channel: pick(CHANNELS),
      participants: [{ id, role: 'victim' }, { id: recruiter, role: 'recruiter' }],
    });
    let at = compounds[skewed(compounds.length)]!;
    later();
    yield event('transit', {
      kind: 'transit', title: 'Transit to a compound (synthetic)', toCompound: at.id, country: at.country,
      participants: [{ id, role: 'victim' }, { id: pick(brokers), role: 'broker' }],
    });
    // Heavy-tailed chain: each further sale is less likely than the last but the tail is long.
    let transfers = 0;
    while (random() < 0.58 && transfers < 30) transfers += 1;
    for (let t = 0; t < transfers; t += 1) {
      let to = compounds[skewed(compounds.length)]!;
      if (to.id === at.id) to = compounds[(compounds.indexOf(at) + 1) % compounds.length]!;
      later();
      yield event('transfer', {
        kind: 'transfer', title: 'Sold between compounds (synthetic)', fromCompound: at.id, toCompound: to.id, country: to.country,
        price: Math.round(Math.exp(9 + random() * 1.2) / 100) * 100, currency: pick(['USD', 'USD', 'USDT']),
        participants: [
          { id, role: 'victim' },
          { id: operatorOf.get(at.id)!, role: 'seller' },
          { id: operatorOf.get(to.id)!, role: 'buyer' },
          { id: pick(brokers), role: 'broker' },
        ],
      });
      at = to;
    }
    if (random() < 0.7) {
      later();
      const kind = pick(['escape', 'rescue', 'rescue', 'release']);
      yield event(kind, {
        kind, title: `${kind[0]!.toUpperCase()}${kind.slice(1)} (synthetic)`, compound: at.id, country: at.country,
        participants: [{ id, role: 'victim' }],
      });
    }
  }
}

import { z } from 'zod';
import { endsBeforeStart, isPartialDate } from '../common/partialDate';
import { RELATION_TYPES, type RelationType } from '../relation/relation.model';

/** The trafficking-graph JSON document (seed/FORMAT.md), validated with errors that name the path. */

const slug = '[a-z0-9][a-z0-9._-]{0,119}';
const idOf = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}:${slug}$`), `must be an id of the form ${prefix}:slug (lower-case a-z, 0-9, . _ -)`);
const anyEntityId = z
  .string()
  .regex(new RegExp(`^(person|compound|organisation):${slug}$`), 'must be a person, compound or organisation id');
const sourceId = idOf('source');
const date = z.string().refine(isPartialDate, 'must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD');
const country = z.string().regex(/^[a-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in lower case');
/** Text with something to read in it: not empty, not spaces alone. */
const notBlank = (value: string): boolean => value.trim() !== '';
/**
 * Text as stored: in Unicode's composed form (NFC), so one spelling is stored one way (an "é" typed as e and a combining
 * accent is found by `nameContains` and unioned with "é" as one alias), not blank, at most 10 000 characters.
 */
const text = z.string().min(1).max(10_000).refine(notBlank, 'must not be blank').transform((value) => value.normalize('NFC'));
/** A tag (a topic, a security feature): short text. */
const tag = z.string().min(1).max(200).refine(notBlank, 'must not be blank').transform((value) => value.normalize('NFC'));
/**
 * Currencies prices are given in: ISO 4217 codes (as this Node's ICU knows them) and the crypto-assets the sources name
 * in scam-compound sales (Tether above all). A mistyped code (`UDS`) would make a currency of its own in every statistic.
 */
export const CRYPTO_CURRENCIES = ['USDT', 'USDC', 'BTC', 'ETH', 'TRX'] as const;
const CURRENCIES = new Set<string>([...Intl.supportedValuesOf('currency'), ...CRYPTO_CURRENCIES]);
const currency = z.string().refine((code) => CURRENCIES.has(code), `must be an ISO 4217 currency code such as USD, THB or MMK, or one of ${CRYPTO_CURRENCIES.join(', ')}`);
/**
 * The longest name: names are range-indexed (src/db/migrations.ts), and Neo4j refuses a write whose index key is over
 * about 8 100 bytes. 1 000 UTF-16 code units are at most 3 000 bytes of UTF-8, so any name of this length fits.
 */
export const MAX_NAME_LENGTH = 1000;
const entityName = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters (names are indexed; put longer text in the description)`)
  .refine(notBlank, 'must not be blank')
  .transform((value) => value.normalize('NFC'));
/** An http or https URL: sources are shown as links, where any other scheme (`javascript:`, `data:`) could run or mislead. */
const webUrl = z.string().refine(isWebUrl, 'must be an http or https URL, such as https://example.org/report');
/** A record's citations, each once: a source listed twice is one citation (it was stored twice). */
const sources = z
  .array(sourceId)
  .min(1, 'must cite at least one source')
  .transform((ids) => [...new Set(ids)]);
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();
/** Ids of the same entity in other systems (FollowTheMoney ids kept by `npm run import -- --format ftm`). */
const referents = optional(z.array(z.string().min(1).max(200)));

export const PERSON_ROLES = ['victim', 'recruiter', 'broker', 'trafficker', 'boss', 'guard', 'official', 'witness', 'spokesperson'] as const;
export const AGE_BANDS = ['0-8', '9-17', '18-20', '21-23', '24-26', '27-29', '30-38', '39-47', '48+'] as const;
export const ORGANISATION_KINDS = [
  'criminal_conglomerate', 'criminal_network', 'company', 'bank_or_payment', 'armed_group', 'government_body',
  'law_enforcement', 'court', 'ngo', 'intergovernmental', 'media',
] as const;
export const COMPOUND_STATUSES = ['operating', 'raided', 'closed', 'relocated', 'unknown'] as const;
export const EVENT_KINDS = [
  'recruitment', 'transit', 'transfer', 'exploitation', 'raid', 'escape', 'release', 'rescue', 'repatriation', 'arrest',
  'indictment', 'extradition', 'sanction', 'report_publication', 'statement', 'status_change', 'founding',
  'investigation', 'other',
] as const;
export const PARTICIPANT_ROLES = [
  'victim', 'seller', 'buyer', 'broker', 'recruiter', 'perpetrator', 'authority', 'target', 'subject', 'spokesperson',
  'publisher', 'investigator', 'witness', 'organiser',
] as const;
export const CHANNELS = ['social_media', 'job_ad', 'acquaintance', 'agency', 'other'] as const;
export const SOURCE_KINDS = ['news', 'report', 'government', 'court', 'sanctions', 'ngo', 'dataset', 'synthetic'] as const;
export const DATASETS = ['public-record', 'demo', 'synthetic', 'import'] as const;

export const sourceInput = z.strictObject({
  id: sourceId,
  title: text,
  publisher: optional(text),
  url: optional(webUrl),
  published: optional(date),
  retrieved: optional(date),
  reliability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']),
  kind: z.enum(SOURCE_KINDS),
  notes: optional(text),
}).superRefine((source, ctx) => {
  if (endsBeforeStart(source.published, source.retrieved)) {
    ctx.addIssue({ code: 'custom', path: ['retrieved'], message: `${source.retrieved} is before the source was published (${source.published})` });
  }
});

export const personInput = z.strictObject({
  id: idOf('person'),
  name: entityName,
  aliases: z.array(text).default([]),
  roles: z.array(z.enum(PERSON_ROLES)).default([]),
  nationality: z.array(country).default([]),
  gender: optional(z.enum(['male', 'female', 'other'])),
  birthDate: optional(date),
  ageBand: optional(z.enum(AGE_BANDS)),
  position: optional(text),
  description: optional(text),
  topics: z.array(tag).default([]),
  referents,
  sources,
});

export const organisationInput = z.strictObject({
  id: idOf('organisation'),
  name: entityName,
  aliases: z.array(text).default([]),
  kind: z.enum(ORGANISATION_KINDS),
  country: z.array(country).default([]),
  address: optional(text),
  description: optional(text),
  topics: z.array(tag).default([]),
  referents,
  sources,
});

/** Two fields that come together: an issue on the missing one when only the other is given. */
function requireBoth<R extends Record<string, unknown>>(record: R, first: keyof R & string, second: keyof R & string, ctx: z.RefinementCtx): void {
  const has = (key: string): boolean => record[key] !== null && record[key] !== undefined;
  if (has(first) === has(second)) return;
  const [missing, given] = has(first) ? [second, first] : [first, second];
  ctx.addIssue({ code: 'custom', path: [missing], message: `is missing while ${given} is given: give both or neither` });
}

export const compoundInput = z.strictObject({
  id: idOf('compound'),
  name: entityName,
  aliases: z.array(text).default([]),
  country: optional(country),
  region: optional(text),
  city: optional(text),
  latitude: optional(z.number().min(-90).max(90)),
  longitude: optional(z.number().min(-180).max(180)),
  status: z.enum(COMPOUND_STATUSES).default('unknown'),
  securityFeatures: z.array(tag).default([]),
  estimatedHeadcount: optional(z.number().int().min(0)),
  description: optional(text),
  referents,
  sources,
}).superRefine((compound, ctx) => {
  // A location is a point: one coordinate alone would be stored as none, and clearing one would drop the other.
  requireBoth(compound, 'latitude', 'longitude', ctx);
});

export const eventInput = z.strictObject({
  id: idOf('event'),
  kind: z.enum(EVENT_KINDS),
  date: optional(date),
  endDate: optional(date),
  title: text,
  description: optional(text),
  country: optional(country),
  place: optional(text),
  compound: optional(idOf('compound')),
  fromCompound: optional(idOf('compound')),
  toCompound: optional(idOf('compound')),
  price: optional(z.number().min(0)),
  currency: optional(currency),
  channel: optional(z.enum(CHANNELS)),
  status: optional(z.enum(COMPOUND_STATUSES)),
  participants: z.array(z.strictObject({ id: anyEntityId, role: z.enum(PARTICIPANT_ROLES) })).default([]),
  referents,
  sources,
}).superRefine((event, ctx) => {
  if (endsBeforeStart(event.date, event.endDate)) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: `${event.endDate} ends before the event's date ${event.date} begins` });
  }
  if (event.fromCompound && event.fromCompound === event.toCompound) {
    ctx.addIssue({ code: 'custom', path: ['toCompound'], message: 'is the same as fromCompound: a transfer or transit goes from one compound to another' });
  }
  // A price means nothing without its currency, and is left out of every price statistic; a currency alone prices nothing.
  requireBoth(event, 'price', 'currency', ctx);
});

export const relationshipInput = z.strictObject({
  type: z.enum(RELATION_TYPES),
  from: anyEntityId,
  to: anyEntityId,
  start: optional(date),
  end: optional(date),
  position: optional(text),
  key: optional(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,59}$/, 'must be a short lower-case slug')),
  sources,
}).superRefine((rel, ctx) => {
  const ends = RELATION_ENDS[rel.type];
  for (const end of ['from', 'to'] as const) {
    const kind = entityKindOf(rel[end]);
    if (!ends[end].includes(kind)) {
      ctx.addIssue({ code: 'custom', path: [end], message: `${rel.type} must go ${end} ${kindList(ends[end])}, not ${article(kind)} ${kind}` });
    }
  }
  if (rel.from === rel.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `is the same as from: a relationship joins two different entities` });
  if (endsBeforeStart(rel.start, rel.end)) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `${rel.end} ends before the relationship's start ${rel.start} begins` });
  }
});

export const claimInput = z.strictObject({
  id: z.string().regex(new RegExp(`^claim:${slug}$`), 'must be an id of the form claim:slug'),
  subject: z.string().regex(new RegExp(`^(person|compound|organisation|event|source):${slug}$`), 'must be an entity or event id'),
  property: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be a property name'),
  value: z.union([z.string().min(1).max(10_000), z.number(), z.boolean()]).transform((value) => String(value).normalize('NFC')),
  note: optional(text),
  sources,
});

export const datasetDocument = z.strictObject({
  dataset: z.enum(DATASETS).default('import'),
  synthetic: z.boolean().default(false),
  sources: z.array(sourceInput).default([]),
  persons: z.array(personInput).default([]),
  organisations: z.array(organisationInput).default([]),
  compounds: z.array(compoundInput).default([]),
  events: z.array(eventInput).default([]),
  relationships: z.array(relationshipInput).default([]),
  claims: z.array(claimInput).default([]),
});

export type DatasetDocument = z.infer<typeof datasetDocument>;
export type RelationshipInput = z.infer<typeof relationshipInput>;

/** The kinds of entity a relationship joins: an id's prefix (`person:chen-zhi` is a person). */
export type RelationEndKind = 'person' | 'organisation' | 'compound';

/** The kinds of entity each relationship type may go from and to: the table in seed/FORMAT.md, "Relationship". */
export const RELATION_ENDS: Readonly<Record<RelationType, { from: readonly RelationEndKind[]; to: readonly RelationEndKind[] }>> = {
  LEADS: { from: ['person'], to: ['organisation'] },
  MEMBER_OF: { from: ['person'], to: ['organisation'] },
  EMPLOYED_BY: { from: ['person'], to: ['organisation'] },
  PART_OF: { from: ['organisation'], to: ['organisation'] },
  OWNS: { from: ['organisation', 'person'], to: ['organisation'] },
  AFFILIATED_WITH: { from: ['organisation'], to: ['organisation'] },
  OPERATES: { from: ['organisation', 'person'], to: ['compound'] },
  PROTECTS: { from: ['organisation'], to: ['compound'] },
  WORKS_AT: { from: ['person'], to: ['compound'] },
  ASSOCIATE_OF: { from: ['person'], to: ['person'] },
  FAMILY_OF: { from: ['person'], to: ['person'] },
  RELOCATED_TO: { from: ['compound'], to: ['compound'] },
};

/**
 * True when a relationship of `type` may go from a `from` entity to a `to` entity ({@link RELATION_ENDS}).
 *
 *     relationEndsFit('LEADS', 'person', 'organisation') // true
 *     relationEndsFit('LEADS', 'compound', 'person') // false
 */
export function relationEndsFit(type: RelationType, from: RelationEndKind, to: RelationEndKind): boolean {
  const ends = RELATION_ENDS[type];
  return ends.from.includes(from) && ends.to.includes(to);
}

/** The kind of an entity id that passed `anyEntityId`: its prefix. */
function entityKindOf(id: string): RelationEndKind {
  return id.slice(0, id.indexOf(':')) as RelationEndKind;
}

const article = (kind: RelationEndKind): string => (kind === 'organisation' ? 'an' : 'a');
const kindList = (kinds: readonly RelationEndKind[]): string => kinds.map((kind) => `${article(kind)} ${kind}`).join(' or ');

/** True when `value` is an absolute http or https URL with a host, and no whitespace or control characters. */
function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || /[\s\p{Cc}]/u.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The id of a relationship: `from|TYPE|to`, plus `|key` when two of the same type join the same pair. */
export function relationshipId(rel: Pick<RelationshipInput, 'from' | 'type' | 'to' | 'key'>): string {
  return [rel.from, rel.type, rel.to, ...(rel.key ? [rel.key] : [])].join('|');
}

import { createHash } from 'node:crypto';
import { endsBeforeStart, isPartialDate } from '../common/partialDate';
import { EVENT_KINDS, ORGANISATION_KINDS, relationEndsFit } from './dataset.model';
import { RELATION_TYPES, type RelationType } from '../relation/relation.model';

/**
 * FollowTheMoney (https://followthemoney.tech) entities and how they map onto our model, both ways.
 * Pure functions only; the reading and writing is in ftmImport.ts and ftmExport.ts.
 */

/** An FtM entity as one line of an FtM JSON lines file: every property is a list of strings. */
export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

/** Our entity types an FtM node schema becomes. */
export type NodeType = 'person' | 'organisation' | 'compound';

/** FtM node schemas we import, and the type each becomes. `RealEstate` carries our compounds in exports. */
export const FTM_NODE_SCHEMAS: Record<string, NodeType> = {
  Person: 'person',
  Organization: 'organisation',
  Company: 'organisation',
  LegalEntity: 'organisation',
  PublicBody: 'organisation',
  RealEstate: 'compound',
};

/** FtM link schemas we import as relationships, and the properties naming their two ends. */
export const FTM_LINK_SCHEMAS: Record<string, [string, string]> = {
  Ownership: ['owner', 'asset'],
  Directorship: ['director', 'organization'],
  Membership: ['member', 'organization'],
  Employment: ['employee', 'employer'],
  Family: ['person', 'relative'],
  Associate: ['person', 'associate'],
  Representation: ['agent', 'client'],
  UnknownLink: ['subject', 'object'],
};

/** FtM schemas read but not modelled; they are counted as skipped. */
export const FTM_SKIPPED_SCHEMAS = ['Payment'];

/** The property of a node schema that points at an Address entity. */
export const ADDRESS_PROPERTY = 'addressEntity';

const SLUG = /^[a-z0-9][a-z0-9._-]{0,119}$/;
const OUR_ID = /^tg\.(person|organisation|compound|event)\.([a-z0-9][a-z0-9._-]{0,119})$/;

/**
 * Our id for an FtM entity of `type`. Ids this system exported (`tg.person.chen-zhi`) come back as
 * themselves; any other FtM id becomes `person:ftm-<id>`, lower-cased, with characters outside
 * `[a-z0-9._-]` replaced by `-` (and a hash when it would be too long).
 */
export function ourIdFor(type: NodeType | 'event', ftmId: string): string {
  const own = OUR_ID.exec(ftmId);
  if (own && own[1] === type) return `${type}:${own[2]}`;
  let slug = `ftm-${ftmId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  if (!SLUG.test(slug)) slug = `ftm-${createHash('sha1').update(ftmId).digest('hex')}`;
  return `${type}:${slug}`;
}

/** The FtM id of one of our ids: `person:chen-zhi` -> `tg.person.chen-zhi`, or the first referent when it has one. */
export function ftmIdFor(id: string, referents: readonly string[] | undefined): string {
  return referents?.[0] ?? id.replace(':', '.').replace(/^/, 'tg.');
}

/** The first value of a property, or undefined. */
export function first(entity: FtmEntity, property: string): string | undefined {
  return entity.properties[property]?.find((value) => value.trim() !== '');
}

/** All values of several properties, de-duplicated, in order. */
export function all(entity: FtmEntity, ...properties: string[]): string[] {
  return [...new Set(properties.flatMap((property) => entity.properties[property] ?? []).filter((value) => value.trim() !== ''))];
}

/** An FtM date (`2011-12-29`, `2011-12-29T10:00:00`, `2011`) as our partial date, or undefined. */
export function partialDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  for (const length of [10, 7, 4]) {
    const candidate = value.slice(0, length);
    if (isPartialDate(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The period an FtM link or event covers, as our partial dates (`startDate`, else `date`, to `endDate`), and whether
 * it contradicts itself: an end wholly before its start, which the dataset format refuses.
 */
export function periodOf(entity: FtmEntity): { start: string | undefined; end: string | undefined; endsBeforeStart: boolean } {
  const start = partialDate(first(entity, 'startDate') ?? first(entity, 'date'));
  const end = partialDate(first(entity, 'endDate'));
  return { start, end, endsBeforeStart: endsBeforeStart(start, end) };
}

/** Country codes we accept: ISO 3166-1 alpha-2, lower case; FtM also has `zz`, `eu` and the like, which we drop only when malformed. */
export function countries(values: string[]): string[] {
  return [...new Set(values.map((value) => value.toLowerCase()).filter((value) => /^[a-z]{2}$/.test(value)))];
}

/**
 * Our organisation kind for an FtM schema. Company and LegalEntity are companies; PublicBody a government body;
 * Organization, which FtM uses for parties, associations and NGOs alike, becomes `ngo` (non-governmental
 * organisation) unless its topics say otherwise. A `legalForm` that is one of our kinds (as our exports write) wins.
 */
export function organisationKind(schema: string, topics: string[], legalForm?: string): string {
  if (legalForm && (ORGANISATION_KINDS as readonly string[]).includes(legalForm)) return legalForm;
  if (topics.some((t) => t.startsWith('crime'))) return 'criminal_network';
  if (topics.includes('fin.bank')) return 'bank_or_payment';
  if (topics.includes('mil')) return 'armed_group';
  if (schema === 'PublicBody' || topics.some((t) => t.startsWith('gov'))) return 'government_body';
  if (schema === 'Organization') return 'ngo';
  return 'company';
}

/** The FtM schema we export an organisation kind as. */
export function schemaForOrganisationKind(kind: string): string {
  if (kind === 'company' || kind === 'bank_or_payment') return 'Company';
  if (kind === 'government_body' || kind === 'law_enforcement' || kind === 'court') return 'PublicBody';
  return 'Organization';
}

/** The relation types an FtM link schema may become, most specific first; {@link relationTypeFor} takes the first its ends allow. */
const LINK_TYPES: Record<string, readonly RelationType[]> = {
  Ownership: ['OWNS'],
  Directorship: ['LEADS', 'AFFILIATED_WITH'],
  Membership: ['MEMBER_OF', 'AFFILIATED_WITH'],
  Employment: ['EMPLOYED_BY', 'AFFILIATED_WITH'],
  Family: ['FAMILY_OF'],
};
/** What any other link (Associate, Representation, UnknownLink) may become. */
const OTHER_LINK_TYPES: readonly RelationType[] = ['ASSOCIATE_OF', 'AFFILIATED_WITH'];

/**
 * The relation type an FtM link becomes, from its schema and the types of its two ends: the first of the schema's
 * types whose ends (seed/FORMAT.md, dataset.model.ts `RELATION_ENDS`) allow them, or undefined when none does
 * (a Directorship of a person over a person, a Representation of an organisation by a person, an Ownership to or
 * from a compound), which the importer skips and counts. An `UnknownLink` whose `role` is one of our relation
 * types (as our exports write) keeps that type when its ends allow it.
 *
 *     relationTypeFor('Directorship', 'person', 'organisation', undefined) // 'LEADS'
 *     relationTypeFor('Directorship', 'organisation', 'organisation', undefined) // 'AFFILIATED_WITH'
 *     relationTypeFor('Associate', 'person', 'organisation', undefined) // undefined
 */
export function relationTypeFor(schema: string, fromType: NodeType, toType: NodeType, role: string | undefined): RelationType | undefined {
  const own = schema === 'UnknownLink' && role && (RELATION_TYPES as readonly string[]).includes(role) ? [role as RelationType] : [];
  const candidates = [...own, ...(LINK_TYPES[schema] ?? OTHER_LINK_TYPES)];
  return candidates.find((type) => relationEndsFit(type, fromType, toType));
}

/** The FtM link schema and end properties we export a relation type as. */
export function linkSchemaFor(type: RelationType): { schema: string; from: string; to: string } {
  switch (type) {
    case 'OWNS':
      return { schema: 'Ownership', from: 'owner', to: 'asset' };
    case 'LEADS':
      return { schema: 'Directorship', from: 'director', to: 'organization' };
    case 'MEMBER_OF':
      return { schema: 'Membership', from: 'member', to: 'organization' };
    case 'EMPLOYED_BY':
      return { schema: 'Employment', from: 'employee', to: 'employer' };
    case 'FAMILY_OF':
      return { schema: 'Family', from: 'person', to: 'relative' };
    case 'ASSOCIATE_OF':
      return { schema: 'Associate', from: 'person', to: 'associate' };
    default:
      return { schema: 'UnknownLink', from: 'subject', to: 'object' };
  }
}

/** Our event kind for an FtM Event: the first of its keywords that is one of our kinds, else `other`. */
export function eventKindFor(keywords: string[]): string {
  return keywords.find((keyword) => (EVENT_KINDS as readonly string[]).includes(keyword)) ?? 'other';
}

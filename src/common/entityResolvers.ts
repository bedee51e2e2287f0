import type { GraphContext } from '../context';
import type { EntityRecord } from '../node/node.model';
import type { RelationRecord, RelationType } from '../relation/relation.model';
import type { ParticipationRecord } from '../event/event.model';
import { canSeeVictimIdentity } from '../auth/viewer';
import { MASKED_VICTIM_ROLES } from '../person/victimIdentity';
import { parseDateArgument, type DateRange } from './partialDate';
import { BadUserInputError } from '../errors';
import { ENTITY_TYPES, projectionAt, relationProjectionAt } from './projection';
import type { SelectionInfo as ResolveInfo } from './lookahead';
import type { SourceRecord } from '../source/source.model';
import type { Dataset, EventKind, RelationType as GqlRelationType, Direction } from '../generated/graphql';

/** True when a relationship is in force at some time in `asOf` (open ends count as in force). */
export function inForce(relation: Pick<RelationRecord, 'startFrom' | 'endTo'>, asOf: DateRange | undefined): boolean {
  if (!asOf) return true;
  return (!relation.startFrom || relation.startFrom <= asOf.end) && (!relation.endTo || relation.endTo >= asOf.start);
}

export interface RelationQuery {
  types?: readonly (RelationType | GqlRelationType)[] | null | undefined;
  direction?: Direction | null | undefined;
  asOf?: string | null | undefined;
}

/**
 * The fixed relation fields of each entity type: which relationship types, in which direction. Their
 * resolvers read them from here, and so does src/common/prefetch.ts, which fills their loaders ahead.
 */
export const RELATION_FIELDS = {
  Compound: {
    operators: { types: ['OPERATES'], direction: 'INCOMING' },
    protectors: { types: ['PROTECTS'], direction: 'INCOMING' },
    staff: { types: ['WORKS_AT'], direction: 'INCOMING' },
  },
  Organisation: {
    members: { types: ['LEADS', 'MEMBER_OF', 'EMPLOYED_BY'], direction: 'INCOMING' },
    compounds: { types: ['OPERATES', 'PROTECTS'], direction: 'OUTGOING' },
    linkedOrganisations: { types: ['PART_OF', 'OWNS', 'AFFILIATED_WITH'], direction: 'BOTH' },
  },
  Person: {
    organisations: { types: ['LEADS', 'MEMBER_OF', 'EMPLOYED_BY', 'OWNS'], direction: 'OUTGOING' },
    compounds: { types: ['OPERATES', 'WORKS_AT'], direction: 'OUTGOING' },
  },
} as const satisfies Record<string, Record<string, { types: readonly RelationType[]; direction: Direction }>>;

/** The loader arguments of a relation query: its types (null: all) and its direction. */
export function relationKey(query: RelationQuery): { types: readonly RelationType[] | null; direction: Direction } {
  return { types: (query.types as readonly RelationType[] | null | undefined) ?? null, direction: query.direction ?? 'BOTH' };
}

/** The loader arguments of an events query: stored kinds (null: all) and the limit; throws on a bad `first`. */
export function eventsKey(kinds: readonly EventKind[] | null | undefined, first: number | null | undefined): { kinds: string[] | null; first: number } {
  const limit = first ?? 50;
  if (!Number.isInteger(limit) || limit < 0 || limit > 500) throw new BadUserInputError('Argument "first" must be between 0 and 500.', 'first');
  return { kinds: kinds?.length ? kinds.map((kind) => kind.toLowerCase()) : null, first: limit };
}

/**
 * An entity's relations, filtered by type, direction and date, from the per-request loader. With the
 * resolver's `info`, the node at the other end and the relationship are fetched with only the properties the
 * query selects on them.
 */
export function relationsOf(entity: EntityRecord, query: RelationQuery, context: GraphContext, info?: ResolveInfo): RelationRecord[] | Promise<RelationRecord[]> {
  const { types, direction } = relationKey(query);
  return relationsFor(entity, types, direction, query.asOf, context, info);
}

/** The relations of one of an entity's fixed relation fields ({@link RELATION_FIELDS}), e.g. a compound's operators. */
export function fixedRelationsOf(
  entity: EntityRecord,
  field: { readonly types: readonly RelationType[]; readonly direction: Direction },
  asOf: string | null | undefined,
  context: GraphContext,
  info: ResolveInfo,
): RelationRecord[] | Promise<RelationRecord[]> {
  return relationsFor(entity, field.types, field.direction, asOf, context, info);
}

function relationsFor(
  entity: EntityRecord,
  types: readonly RelationType[] | null,
  direction: Direction,
  asOfArgument: string | null | undefined,
  context: GraphContext,
  info: ResolveInfo | undefined,
): RelationRecord[] | Promise<RelationRecord[]> {
  const asOf = parseDateArgument(asOfArgument, 'asOf');
  let loader = info && context.loaders.loaderOfField<RelationRecord[]>(info.fieldNodes, types, direction);
  if (!loader) {
    loader = context.loaders.relationsOfKind(types, direction, projectionAt(info, OTHER, ENTITY_TYPES), relationProjectionAt(info));
    if (info) context.loaders.keepForField(info.fieldNodes, types, direction, loader);
  }
  // Prefetched (src/common/prefetch.ts): answered at once, without a promise.
  const ready = context.loaders.ready(loader, entity.id);
  const identifiable = canSeeVictimIdentity(context.viewer);
  if (ready) return withoutVictimPositions(entity, inForceOf(ready, asOf), identifiable);
  return loader.load(entity.id).then((rows) => withoutVictimPositions(entity, inForceOf(rows, asOf), identifiable));
}

/**
 * `relations` less the `position` of those at a victim, for a viewer who may not identify victims: a victim's position is
 * part of who they are (src/person/victimIdentity.ts), on the Person and on a relationship alike, as graph slices show it
 * (src/network/graphSlice.ts, maskVictimEdge). The list is copied only when it changes.
 */
function withoutVictimPositions(entity: EntityRecord, relations: RelationRecord[], identifiable: boolean): RelationRecord[] {
  if (identifiable) return relations;
  let masked: RelationRecord[] | undefined;
  for (let i = 0; i < relations.length; i++) {
    const relation = relations[i]!;
    if (!relation.position || !(entity.victim || relation.other.victim)) continue;
    const { position: _position, ...rest } = relation;
    (masked ??= relations.slice())[i] = rest;
  }
  return masked ?? relations;
}

/** The relations in force at some time in `asOf` (all of them without it). */
function inForceOf(relations: RelationRecord[], asOf: DateRange | undefined): RelationRecord[] {
  return asOf ? relations.filter((relation) => inForce(relation, asOf)) : relations;
}

const OTHER = ['other'] as const;
const EVENT = ['event'] as const;
const EVENT_TYPES = ['Event'] as const;

/** An entity's events in date order, optionally of some kinds, at most `first` (1..500). */
export function eventsOf(
  entity: { id: string; victim?: boolean },
  kinds: readonly EventKind[] | null | undefined,
  first: number | null | undefined,
  context: GraphContext,
  info?: ResolveInfo,
): ParticipationRecord[] | Promise<ParticipationRecord[]> {
  let loader = info && context.loaders.loaderOfField<ParticipationRecord[]>(info.fieldNodes, kinds, first);
  if (!loader) {
    // Throws on a bad `first`; a loader is kept only for arguments that passed.
    const key = eventsKey(kinds, first);
    loader = context.loaders.participationsOf(key.kinds, key.first, projectionAt(info, EVENT, EVENT_TYPES));
    if (info) context.loaders.keepForField(info.fieldNodes, kinds, first, loader);
  }
  const rows = context.loaders.ready(loader, entity.id) ?? loader.load(entity.id);
  // A victim's part in each event is `victim` to whoever may not identify them, as in the event's participants (src/loaders.ts).
  if (!entity.victim || canSeeVictimIdentity(context.viewer)) return rows;
  const mask = (list: ParticipationRecord[]): ParticipationRecord[] => list.map((p) => (p.role === MASKED_VICTIM_ROLES[0] ? p : { ...p, role: MASKED_VICTIM_ROLES[0]! }));
  return Array.isArray(rows) ? mask(rows) : rows.then(mask);
}

/** Loads the sources a record cites, in the order cited. */
export async function sourcesOf(ids: readonly string[], context: GraphContext) {
  const records = await context.loaders.node.loadMany(ids);
  return records.filter((r): r is SourceRecord => !!r && !(r instanceof Error) && r.label === 'Source');
}

/** GraphQL enum value of a stored lower-case value (public-record -> PUBLIC_RECORD). */
export function toEnum<T extends string>(value: string | null | undefined): T {
  const stored = value ?? 'unknown';
  let converted = enumValues.get(stored);
  if (converted === undefined) {
    converted = String(stored).toUpperCase().replace(/-/g, '_');
    // Stored values come from closed lists; the bound only guards against an import full of odd ones.
    if (enumValues.size < 10_000) enumValues.set(stored, converted);
  }
  return converted as T;
}
const enumValues = new Map<string, string>();

/** Shared resolvers of every entity type: type, dataset, sources, claims, relations, events. */
export const entityFields = {
  dataset: (record: EntityRecord) => toEnum<Dataset>(record.dataset),
  synthetic: (record: EntityRecord) => record.synthetic,
  aliases: (record: EntityRecord) => record.aliases ?? [],
  sources: (record: EntityRecord, _args: unknown, context: GraphContext) => sourcesOf(record.sources, context),
  claims: (record: EntityRecord, _args: unknown, context: GraphContext) => context.loaders.claims.load(record.id),
  relations: (record: EntityRecord, args: RelationQuery, context: GraphContext, info: ResolveInfo) => relationsOf(record, args, context, info),
  events: (record: EntityRecord, args: { kinds?: readonly EventKind[] | null; first?: number | null }, context: GraphContext, info: ResolveInfo) =>
    eventsOf(record, args.kinds, args.first, context, info),
};

import DataLoader from 'dataloader';
import type { Projection } from './common/projection';
import type { Plan } from './common/prefetch';
import type { Executor } from './db/executor';
import { canSeeVictimIdentity, canSeeVictims, type Viewer } from './auth/viewer';
import { MASKED_VICTIM_ROLES } from './person/victimIdentity';
import { findNodesByIds, type NodeByIdRow } from './node/node.queries';
import { isEntityRecord, type EntityRecord, type NodeRecord } from './node/node.model';
import { toClaimRecord, toNodeRecord } from './node/node.normalize';
import { findRelationsByEntityIds, type RelationRow } from './relation/relation.queries';
import type { RelationRecord, RelationType } from './relation/relation.model';

export type RelationDirection = 'OUTGOING' | 'INCOMING' | 'BOTH';
import {
  findParticipantsByEventIds,
  findParticipationsByEntityIds,
  findStatusEventsByCompoundIds,
  type ParticipantRow,
  type ParticipationRow,
  type StatusEventRow,
} from './event/event.queries';
import type { EventRecord, ParticipantRecord, ParticipationRecord } from './event/event.model';
import { findClaimsBySubjectIds, type ClaimRow } from './claim/claim.queries';
import type { ClaimRecord } from './claim/claim.model';
import { countCitationsBySourceIds, type CitationRow } from './source/source.queries';
import type { VictimEventRow } from './trace/trace.queries';
import type { ChainProjections } from './trace/chainProjection';

/**
 * The per-request DataLoaders. Every batch is one UNWIND statement; results come back in key order.
 * Loaders of related nodes take a {@link Projection}: records projected to fewer properties are never
 * put in the `node` loader's cache, which holds whole records only.
 */
export interface Loaders {
  /** Any node by id; null where absent or hidden from the viewer (victims, for the public). */
  node: DataLoader<string, NodeRecord | null>;
  /** Every entity relationship of an id, any type, either direction. */
  relations: DataLoader<string, RelationRecord[]>;
  /**
   * The relationships of an id of some types in one direction, the node at the other end projected as
   * `projection` says and the relationship as `relationProjection` says; one loader per
   * (types, direction, projection, relationProjection) per request.
   */
  relationsOfKind(
    types: readonly RelationType[] | null | undefined,
    direction: RelationDirection,
    projection?: Projection,
    relationProjection?: Projection,
  ): DataLoader<string, RelationRecord[]>;
  /** The events an id took part in, in date order: of some stored kinds (null: all), at most `first`; one loader per (kinds, first, projection) per request. */
  participationsOf(kinds: readonly string[] | null, first: number | null, projection?: Projection): DataLoader<string, ParticipationRecord[]>;
  participants: DataLoader<string, ParticipantRecord[]>;
  statusEvents: DataLoader<string, EventRecord[]>;
  claims: DataLoader<string, ClaimRecord[]>;
  citationCount: DataLoader<string, number>;
  /**
   * What one statement fetched with a victim's events (src/trace/trace.queries.ts, findVictimEvents), converted by the
   * code that converts the loaders' own rows, and hidden from the viewer as they hide them. Whole records are also
   * primed into the loaders that would have fetched them (`participants` and `node` for the entities, `node` for the
   * referenced nodes); records projected as `projections` say never are. Claims are always whole, and primed.
   */
  readEventRows(rows: readonly VictimEventRow[], projections: ChainProjections): EventRowsRead;
  /**
   * Keeps, for the loaders of `plan` and `parents`, what a statement fetched ahead for each of them
   * (`nested`, in the same order; src/common/prefetch.ts), level by level: the values the loaders would
   * have fetched, answered by {@link ready} (not put in the DataLoaders' own caches; their resolvers ask `ready` first).
   */
  primeAhead(plan: Plan, parents: readonly Pick<NodeRecord, 'id' | 'label'>[], nested: readonly unknown[]): void;
  /**
   * The value `primeAhead` put in `loader` for `id`, at once, or undefined. A resolver that finds it
   * answers synchronously, which spares graphql-js a promise per field and per list item.
   */
  ready<V>(loader: DataLoader<string, V>, id: string): V | undefined;
  /**
   * The loader a list-item field asks for each of its parents (`operators` of every compound of a list, say), once
   * {@link keepForField} has kept it: per request, per field of the operation (the resolver's `info.fieldNodes`) and
   * per pair of loader arguments `a`, `b`, compared by identity (relationship types and direction, or event kinds and
   * limit). Spares every other parent building the loader's key, which was the largest allocation of our own code in
   * the nested list of bench/README.md.
   */
  loaderOfField<V>(field: object, a: unknown, b: unknown): DataLoader<string, V> | undefined;
  /** Keeps `loader` as the one {@link loaderOfField} answers for this field and arguments. */
  keepForField<V>(field: object, a: unknown, b: unknown, loader: DataLoader<string, V>): void;
}

/** The values {@link Loaders.readEventRows} converted, by event id (participants, claims) and node id. */
export interface EventRowsRead {
  participants: Map<string, ParticipantRecord[]>;
  claims: Map<string, ClaimRecord[]>;
  /** A node each event names (compound, source), null when hidden from the viewer; an id the statement found no node for is absent. */
  nodes: Map<string, NodeRecord | null>;
}

/** Keys of argument lists already seen (relationship types, event kinds, projections), by identity: most are constants or cached per field. Empty means all. */
const listKeys = new WeakMap<readonly string[], string>();
function listKey(list: readonly string[] | null | undefined): string {
  if (!list) return '*';
  let key = listKeys.get(list);
  if (key === undefined) {
    key = list.length ? [...new Set(list)].sort().join(',') : '*';
    listKeys.set(list, key);
  }
  return key;
}

/**
 * The key of a projection: null (whole records) and [] (the core only) are different loaders, unlike an
 * empty list of types or kinds, which means all of them.
 */
function projectionKey(projection: Projection): string {
  return projection === null ? 'whole' : `only:${listKey(projection)}`;
}

/** The key of the relations loader for these arguments (src/common/prefetch.ts merges its fetches by it too). */
export function relationsLoaderKey(
  types: readonly string[] | null | undefined,
  direction: RelationDirection,
  projection: Projection,
  relationProjection: Projection,
): string {
  return `${listKey(types)}|${direction}|${projectionKey(projection)}|${projectionKey(relationProjection)}`;
}

/** The key of the participations loader for these arguments. */
export function participationsLoaderKey(kinds: readonly string[] | null | undefined, first: number | null, projection: Projection): string {
  return `${listKey(kinds)}|${first ?? '*'}|${projectionKey(projection)}`;
}

/** The loader of `loaders` for these arguments and projection, made by `make` on first use. */
function loaderFor<V>(loaders: Map<string, DataLoader<string, V>>, key: string, make: () => DataLoader<string, V>): DataLoader<string, V> {
  let loader = loaders.get(key);
  if (!loader) {
    loader = make();
    loaders.set(key, loader);
  }
  return loader;
}

/** Groups rows by their `id` column, in the order of `keys`. */
function groupByKey<R extends { id: string }, T>(keys: readonly string[], rows: readonly R[], map: (row: R) => T | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const value = map(row);
    if (value !== null) groups.get(row.id)?.push(value);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * Creates the loaders of one request for one viewer. The viewer decides visibility here, once:
 * for the public role, victims are absent from every answer these loaders give.
 *
 *     const loaders = createLoaders(executor, viewer);
 *     const chen = await loaders.node.load('person:chen-zhi');
 */
export function createLoaders(executor: Executor, viewer: Viewer): Loaders {
  const victimsVisible = canSeeVictims(viewer);
  const victimsIdentifiable = canSeeVictimIdentity(viewer);
  // Retired nodes (src/mutation/mutations.ts) are kept in the database but answered as absent.
  const visible = <T extends NodeRecord>(record: T): T | null =>
    (record.victim && !victimsVisible) || (record as { retiredAt?: unknown }).retiredAt ? null : record;
  const toRecord = (raw: unknown): NodeRecord => toNodeRecord(raw as Record<string, unknown>);

  // Every loader is made when first used: a request uses few of them (a search, none), and each is a DataLoader
  // with its cache Map and closures, allocated per request and, under load, often promoted before it dies.
  const node = once(
    () =>
      new DataLoader<string, NodeRecord | null>(async (ids) => {
        const rows = await executor.read<NodeByIdRow>(findNodesByIds(ids));
        const byId = new Map(rows.map((row) => [row.id, row.node ? visible(toRecord(row.node)) : null]));
        // An id merged into a victim (src/resolution/) answers as unknown to those who may not know who a victim is: the
        // merged record may have been a named witness, and its id answering the victim's pseudonym would name the victim.
        if (!victimsIdentifiable) {
          for (const [id, record] of byId) if (record && record.victim && record.id !== id) byId.set(id, null);
        }
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );

  const prime = (record: NodeRecord): void => {
    node().prime(record.id, record);
  };

  /** A relation as the loaders answer it, or null when the node at the other end is hidden from the viewer. */
  const toRelation = (relation: RelationRow['relation'], projection: Projection): RelationRecord | null => {
    const other = visible(toNodeRecord(relation.other));
    if (!other || !isEntityRecord(other)) return null;
    if (projection === null) prime(other);
    // Field by field, not a spread: every relation gets the same shape, which V8 handles fastest. A property
    // the relation projection left out is undefined: no field the query selects reads it.
    const props = (relation.props ?? {}) as Partial<Record<'start' | 'end' | 'startFrom' | 'endTo' | 'position', string | null>> & { sources?: string[] | null };
    return {
      id: relation.id,
      type: relation.type as RelationType,
      outgoing: relation.outgoing,
      start: props.start ?? undefined,
      end: props.end ?? undefined,
      startFrom: props.startFrom ?? undefined,
      endTo: props.endTo ?? undefined,
      position: props.position ?? undefined,
      sources: props.sources ?? [],
      other: other as EntityRecord,
    };
  };
  const toParticipation = (row: Pick<ParticipationRow, 'role' | 'event'>, projection: Projection): ParticipationRecord => {
    const event = toNodeRecord(row.event) as EventRecord;
    if (projection === null) prime(event);
    return { role: row.role, event };
  };

  const loadRelations = (types?: readonly RelationType[], direction?: RelationDirection, projection: Projection = null, relationProjection: Projection = null) =>
    new DataLoader<string, RelationRecord[]>(async (ids) => {
      const rows = await executor.read<RelationRow>(findRelationsByEntityIds(ids, types, direction, projection, relationProjection));
      return groupByKey(ids, rows, ({ relation }) => toRelation(relation, projection));
    });
  const relations = once(() => loadRelations());
  let relationLoaders: Map<string, DataLoader<string, RelationRecord[]>> | undefined;
  const relationsOfKind = (
    types: readonly RelationType[] | null | undefined,
    direction: RelationDirection,
    projection: Projection = null,
    relationProjection: Projection = null,
  ) =>
    loaderFor((relationLoaders ??= new Map()), relationsLoaderKey(types, direction, projection, relationProjection), () =>
      loadRelations(types?.length ? [...new Set(types)].sort() : undefined, direction, projection, relationProjection),
    );

  let participationLoaders: Map<string, DataLoader<string, ParticipationRecord[]>> | undefined;
  const participationsOf = (kinds: readonly string[] | null, first: number | null, projection: Projection = null) =>
    loaderFor((participationLoaders ??= new Map()), participationsLoaderKey(kinds, first, projection), () => {
      const chosen = kinds?.length ? [...new Set(kinds)].sort() : null;
      return new DataLoader<string, ParticipationRecord[]>(async (ids) => {
        const rows = await executor.read<ParticipationRow>(findParticipationsByEntityIds(ids, chosen, first, projection));
        return groupByKey(ids, rows, (row) => toParticipation(row, projection));
      });
    });

  /** A participant row as the loaders answer it; `whole` entities prime the node loader, projected ones are never put there. */
  const toParticipant = (row: Pick<ParticipantRow, 'role' | 'sources' | 'entity'>, whole = true): ParticipantRecord | null => {
    const entity = visible(toNodeRecord(row.entity));
    if (!entity || !isEntityRecord(entity)) return null;
    if (whole) prime(entity);
    // A victim's part in an event is `victim` to whoever may not identify them, as their roles are (src/person/victimIdentity.ts):
    // a victim who testified at a trial is not shown as its witness, and `participants(roles: [WITNESS])` does not find them.
    return { role: entity.victim && !victimsIdentifiable ? MASKED_VICTIM_ROLES[0]! : row.role, entity, sources: row.sources ?? [] };
  };
  const participants = once(
    () =>
      new DataLoader<string, ParticipantRecord[]>(async (ids) => {
        const rows = await executor.read<ParticipantRow>(findParticipantsByEventIds(ids));
        return groupByKey(ids, rows, toParticipant);
      }),
  );

  const statusEvents = once(
    () =>
      new DataLoader<string, EventRecord[]>(async (ids) => {
        const rows = await executor.read<StatusEventRow>(findStatusEventsByCompoundIds(ids));
        return groupByKey(ids, rows, (row) => toNodeRecord(row.event) as EventRecord);
      }),
  );

  const claims = once(
    () =>
      new DataLoader<string, ClaimRecord[]>(async (ids) => {
        const rows = await executor.read<ClaimRow>(findClaimsBySubjectIds(ids));
        return groupByKey(ids, rows, (row) => toClaimRecord(row.claim)).map(markDisputed);
      }),
  );

  const citationCount = once(
    () =>
      new DataLoader<string, number>(async (ids) => {
        const rows = await executor.read<CitationRow>(countCitationsBySourceIds(ids, { victims: victimsVisible, claimsAboutVictims: victimsIdentifiable }));
        const byId = new Map(rows.map((row) => [row.id, row.count]));
        return ids.map((id) => byId.get(id) ?? 0);
      }),
  );

  const readEventRows: Loaders['readEventRows'] = (rows, projections) => {
    const read: EventRowsRead = { participants: new Map(), claims: new Map(), nodes: new Map() };
    const wholeEntities = projections.entities === null;
    const wholeReferenced = projections.referenced === null;
    for (const row of rows) {
      const id = String(row.event.id);
      for (const ref of row.referenced) {
        const record = visible(toRecord(ref.node));
        read.nodes.set(ref.id, record);
        if (wholeReferenced) node().prime(ref.id, record);
      }
      const list: ParticipantRecord[] = [];
      for (const participant of row.participants) {
        const record = toParticipant(participant, wholeEntities);
        if (record) list.push(record);
      }
      read.participants.set(id, list);
      if (wholeEntities) participants().prime(id, list);
      const claimList = markDisputed(row.claims.map(toClaimRecord));
      read.claims.set(id, claimList);
      claims().prime(id, claimList);
    }
    return read;
  };

  // Prefetched values, per loader, answered by `ready`. They are not primed into the DataLoaders too (a resolved promise and
  // a cache entry per parent): the two resolvers that ask these loaders (src/common/entityResolvers.ts) ask `ready` first.
  let primed: WeakMap<DataLoader<string, unknown>, Map<string, unknown>> | undefined;
  const primedOf = (loader: DataLoader<string, unknown>): Map<string, unknown> => {
    primed ??= new WeakMap();
    let values = primed.get(loader);
    if (!values) {
      values = new Map();
      primed.set(loader, values);
    }
    return values;
  };
  const ready = <V>(loader: DataLoader<string, V>, id: string): V | undefined =>
    primed?.get(loader as DataLoader<string, unknown>)?.get(id) as V | undefined;

  let byField: WeakMap<object, { a: unknown; b: unknown; loader: DataLoader<string, unknown> }> | undefined;
  const loaderOfField = <V>(field: object, a: unknown, b: unknown): DataLoader<string, V> | undefined => {
    const kept = byField?.get(field);
    return kept && kept.a === a && kept.b === b ? (kept.loader as DataLoader<string, V>) : undefined;
  };
  const keepForField = <V>(field: object, a: unknown, b: unknown, loader: DataLoader<string, V>): void => {
    (byField ??= new WeakMap()).set(field, { a, b, loader: loader as DataLoader<string, unknown> });
  };

  type Prefetched = Record<string, unknown> | null | undefined;
  type Parent = Pick<NodeRecord, 'id' | 'label'>;
  /** Primes one level of a plan for all its parents at once, then the next level for the nodes found. */
  const primeLevel = (plan: Plan, parents: readonly Parent[], nested: readonly Prefetched[]): void => {
    plan.forEach((fetch, index) => {
      const column = `f${index}`;
      const children: Parent[] = [];
      const childNested: Prefetched[] = [];
      if (fetch.kind === 'relations') {
        const ready = primedOf(relationsOfKind(fetch.types, fetch.direction, fetch.projection, fetch.relationProjection));
        parents.forEach((parent, at) => {
          const rows = nested[at]?.[column];
          // Fetched only for nodes of the fetch's labels: another node's loader is left to fetch for itself.
          if (!fetch.labels.includes(parent.label) || !Array.isArray(rows)) return;
          const values: RelationRecord[] = [];
          for (const row of rows as (RelationRow['relation'] & { nested?: Prefetched })[]) {
            const relation = toRelation(row, fetch.projection);
            if (!relation) continue;
            values.push(relation);
            children.push(relation.other);
            childNested.push(row.nested);
          }
          // A value already there stays, as with DataLoader.prime (it is the same value).
          if (!ready.has(parent.id)) ready.set(parent.id, values);
        });
      } else {
        const ready = primedOf(participationsOf(fetch.kinds, fetch.first, fetch.projection));
        parents.forEach((parent, at) => {
          const rows = nested[at]?.[column];
          if (!fetch.labels.includes(parent.label) || !Array.isArray(rows) || ready.has(parent.id)) return;
          ready.set(parent.id, (rows as ParticipationRow[]).map((row) => toParticipation(row, fetch.projection)));
        });
      }
      if (fetch.children.length > 0 && children.length > 0) primeLevel(fetch.children, children, childNested);
    });
  };
  const primeAhead = (plan: Plan, parents: readonly Parent[], nested: readonly unknown[]): void => primeLevel(plan, parents, nested as Prefetched[]);

  return new RequestLoaders(
    { node, relations, participants, statusEvents, claims, citationCount },
    { relationsOfKind, participationsOf, readEventRows, primeAhead, ready, loaderOfField, keepForField },
  );
}

/** The loaders {@link RequestLoaders} makes on first use, each behind a function that makes it once. */
interface LazyLoaders {
  node: () => Loaders['node'];
  relations: () => Loaders['relations'];
  participants: () => Loaders['participants'];
  statusEvents: () => Loaders['statusEvents'];
  claims: () => Loaders['claims'];
  citationCount: () => Loaders['citationCount'];
}

type LoaderFunctions = Pick<Loaders, 'relationsOfKind' | 'participationsOf' | 'readEventRows' | 'primeAhead' | 'ready' | 'loaderOfField' | 'keepForField'>;

/**
 * One request's {@link Loaders}. A class, for its getters: V8 makes each getter of an object literal an accessor pair
 * in old space, so a literal's getter closures, and everything this request's loaders close over (the executor, the
 * loaders and what they cached), survived every young collection until a full one: about 5 KB a request, and every
 * young collection under load paused to copy and promote them (bench/README.md, "December 3rd, noon").
 */
class RequestLoaders implements Loaders {
  readonly relationsOfKind: Loaders['relationsOfKind'];
  readonly participationsOf: Loaders['participationsOf'];
  readonly readEventRows: Loaders['readEventRows'];
  readonly primeAhead: Loaders['primeAhead'];
  readonly ready: Loaders['ready'];
  readonly loaderOfField: Loaders['loaderOfField'];
  readonly keepForField: Loaders['keepForField'];

  constructor(
    private readonly lazy: LazyLoaders,
    functions: LoaderFunctions,
  ) {
    this.relationsOfKind = functions.relationsOfKind;
    this.participationsOf = functions.participationsOf;
    this.readEventRows = functions.readEventRows;
    this.primeAhead = functions.primeAhead;
    this.ready = functions.ready;
    this.loaderOfField = functions.loaderOfField;
    this.keepForField = functions.keepForField;
  }

  get node(): Loaders['node'] {
    return this.lazy.node();
  }

  get relations(): Loaders['relations'] {
    return this.lazy.relations();
  }

  get participants(): Loaders['participants'] {
    return this.lazy.participants();
  }

  get statusEvents(): Loaders['statusEvents'] {
    return this.lazy.statusEvents();
  }

  get claims(): Loaders['claims'] {
    return this.lazy.claims();
  }

  get citationCount(): Loaders['citationCount'] {
    return this.lazy.citationCount();
  }
}

/** `make()`, called the first time the returned function is, and its value from then on. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A claim is disputed when a claim on the same property gives another value. */
function markDisputed(claims: ClaimRecord[]): ClaimRecord[] {
  const values = new Map<string, Set<string>>();
  for (const claim of claims) {
    const set = values.get(claim.property) ?? new Set<string>();
    set.add(claim.value);
    values.set(claim.property, set);
  }
  return claims.map((claim) => ({ ...claim, disputed: (values.get(claim.property)?.size ?? 0) > 1 }));
}

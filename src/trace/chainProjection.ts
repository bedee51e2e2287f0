import type { FieldNode } from 'graphql';
import type { SelectionInfo } from '../common/lookahead';
import { ENTITY_TYPES, projectionAt, type Projection } from '../common/projection';

/**
 * What the custody chain's statement (findVictimEvents) reads of each kind of node it returns, worked out
 * from what the query selects under `traceVictim`: a {@link Projection} each (null for whole records).
 */
export interface ChainProjections {
  /** The victim's events: what the chain itself reads, and what `event`, `arrival`, `departure` select. */
  events: Projection;
  /** The events' participants (sellers, buyers, brokers, recruiters). */
  entities: Projection;
  /** The compounds and sources the events name by id. */
  referenced: Projection;
}

/** What the chain reads of every event (src/trace/trace.ts, custodyPlan.ts), whatever the query selects. */
export const CHAIN_EVENT_PROPERTIES = ['compoundId', 'currency', 'date', 'dateEnd', 'fromCompoundId', 'kind', 'price', 'sources', 'toCompoundId'] as const;

/**
 * Read of every projected participant and referenced node: the loaders hide retired nodes by it (the
 * statement does not leave them out), as they do whole records.
 */
const RETIRED = ['retiredAt'] as const;

/** Where a CustodyStep can be selected in a CustodyChain. */
const STEP_PATHS: readonly (readonly string[])[] = [['steps'], ['exit'], ['gaps', 'after'], ['gaps', 'before']];
const under = (fields: readonly string[]): (readonly string[])[] => STEP_PATHS.flatMap((path) => fields.map((field) => [...path, field]));

const EVENT_PATHS = [...under(['event']), ['periods', 'arrival'], ['periods', 'departure']];
const ENTITY_PATHS = under(['sellers', 'buyers', 'brokers', 'recruiters']);
const COMPOUND_PATHS = [...under(['compound', 'fromCompound', 'toCompound', 'heldAfter']), ['periods', 'compound'], ['heldAt'], ['gaps', 'lastKnown'], ['gaps', 'nextKnown']];
const SOURCE_PATHS = under(['sources']);
const EVENT_TYPES = ['Event'] as const;
const COMPOUND_TYPES = ['Compound'] as const;
const SOURCE_TYPES = ['Source'] as const;

/** Where records of some types are selected: the paths under `traceVictim`, and the types a record there can be. */
type Places = readonly [paths: readonly (readonly string[])[], types: readonly string[]];

/** `base` and what the records at each of `places` need, or null when one of them needs the whole node. */
function unionAt(info: SelectionInfo, base: readonly string[], ...places: Places[]): Projection {
  const properties = new Set(base);
  for (const [paths, types] of places) {
    for (const path of paths) {
      const projection = projectionAt(info, path, types);
      if (projection === null) return null;
      projection.forEach((p) => properties.add(p));
    }
  }
  return [...properties].sort();
}

/** Worked out once per field of an operation: every request of a saved query asks the same. */
const computed = new WeakMap<readonly FieldNode[], ChainProjections>();

/**
 * The projections of the chain's statement for the `traceVictim` field being resolved; whole records
 * without `info`. A selection with a field outside the projection table (src/common/projection.ts) makes
 * its kind of node whole, as everywhere else.
 *
 *     chainProjections(info) // { events: ['compoundId', ..., 'title'], entities: ['name', 'retiredAt'], referenced: ['name', 'retiredAt'] }
 */
export function chainProjections(info: SelectionInfo | undefined): ChainProjections {
  if (!info) return { events: null, entities: null, referenced: null };
  let projections = computed.get(info.fieldNodes);
  if (!projections) {
    projections = {
      events: unionAt(info, CHAIN_EVENT_PROPERTIES, [EVENT_PATHS, EVENT_TYPES]),
      entities: unionAt(info, RETIRED, [ENTITY_PATHS, ENTITY_TYPES]),
      referenced: unionAt(info, RETIRED, [COMPOUND_PATHS, COMPOUND_TYPES], [SOURCE_PATHS, SOURCE_TYPES]),
    };
    computed.set(info.fieldNodes, projections);
  }
  return projections;
}

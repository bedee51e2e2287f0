import type { Statement } from '../db/executor';
import { int } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { RELATION_TYPES, type RelationType } from '../relation/relation.model';
import type { DateRange } from '../common/partialDate';
import { cypherIntLiteral } from './limits';
import type { EdgeRow } from './graphSlice';

/** Event-participation relationship types: event to participant (INVOLVES) and event to compound. */
export const EVENT_LINK_TYPES = ['INVOLVES', 'AT', 'FROM', 'TO'] as const;

/** Which relationships a traversal may follow and on what date: built from closed enums and validated dates. */
export interface TraversalScope {
  relationTypes: readonly RelationType[];
  includeEvents: boolean;
  victimsVisible: boolean;
  asOf: DateRange | undefined;
}

/** The `A|B|C` relationship-type alternation of a scope; every name comes from a closed list. */
export function relationshipTypes(scope: Pick<TraversalScope, 'relationTypes' | 'includeEvents'>): string {
  const types = scope.relationTypes.filter((t) => (RELATION_TYPES as readonly string[]).includes(t));
  return [...types, ...(scope.includeEvents ? EVENT_LINK_TYPES : [])].join('|');
}

/** A relationship `r` in force on `asOf` (open ends count); event links carry no period and always pass. */
export function relationInForce(scope: TraversalScope, r: string): string {
  if (!scope.asOf) return 'true';
  return `(${r}.startFrom IS NULL OR ${r}.startFrom <= $asOfEnd) AND (${r}.endTo IS NULL OR ${r}.endTo >= $asOfStart)`;
}

/**
 * A node `x` the viewer may reach: never a source or a retired node (src/mutation); not a victim for the
 * public; no event after `asOf`.
 */
function nodeVisible(scope: TraversalScope, x: string): string {
  const parts = [`NOT ${x}:Source`, `${x}.retiredAt IS NULL`];
  if (!scope.victimsVisible) parts.push(`NOT ${x}:Victim`);
  if (!scope.includeEvents) parts.push(`NOT ${x}:Event`);
  if (scope.asOf) parts.push(eventNotAfter(x));
  return parts.join(' AND ');
}

/** A node `x` that is no event dated after `$asOfEnd` (for scopes with `asOf`). */
export function eventNotAfter(x: string): string {
  return `(NOT ${x}:Event OR ${x}.dateStart <= $asOfEnd)`;
}

export function dateParams(scope: TraversalScope): Record<string, unknown> {
  return scope.asOf ? { asOfStart: scope.asOf.start, asOfEnd: scope.asOf.end } : {};
}

export interface NeighbourRow {
  node: Record<string, unknown>;
  distance: number;
}

/**
 * The nodes within `depth` hops of the start ids, nearest first, at most `limit + 1` rows (one more than
 * asked, so the caller can tell a truncated neighbourhood). `ANY SHORTEST` makes the engine walk
 * breadth-first once per start node instead of enumerating every path. Retired nodes and relationships
 * are neither walked through nor counted toward the limit. Depth 0 answers the start nodes the viewer may
 * see, at distance 0. `depth` must be validated.
 */
export function findNeighbourhood(ids: readonly string[], depth: number, limit: number, scope: TraversalScope): Statement {
  const params = { ids, limit: int(limit + 1), ...dateParams(scope) };
  // Neo4j refuses a path quantifier bounded by 0 (`{0,0}`), and there is nothing to walk: the seeds themselves.
  if (depth === 0) return { cypher: findStartNodes(scope), params };
  const types = relationshipTypes(scope);
  return {
    // One source, every node within depth: a breadth-first expansion from the seeds (StatefulShortestPath(All)).
    // Left to its cost model on a small or freshly loaded graph, the planner may instead scan every node as a
    // candidate target and search pairwise (AllNodesScan + Into), which grows with the graph; the option and
    // the seek hint pin the plan that does not (test/integration/traversals.test.ts checks it).
    cypher: `CYPHER statefulShortestPlanningMode=all_if_possible
MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $ids AND ${nodeVisible(scope, 's')}
MATCH p = ANY SHORTEST (s) (()-[r:${types} WHERE r.retiredAt IS NULL AND ${relationInForce(scope, 'r')}]-(x:Node WHERE ${nodeVisible(scope, 'x')})){0,${cypherIntLiteral(depth)}} (n)
WITH n, min(length(p)) AS distance
ORDER BY distance, n.id
LIMIT $limit
RETURN ${projectNode('n')} AS node, distance`,
    params,
  };
}

/** The neighbourhood at depth 0: the start nodes the scope lets the viewer reach, in id order, at distance 0. */
function findStartNodes(scope: TraversalScope): string {
  return `MATCH (n:Node) USING INDEX SEEK n:Node(id) WHERE n.id IN $ids AND ${nodeVisible(scope, 'n')}
WITH n
ORDER BY n.id
LIMIT $limit
RETURN ${projectNode('n')} AS node, 0 AS distance`;
}

/**
 * Every relationship of the scope between two nodes of `ids` (both ends in the list), retired ones left out.
 * An event's links (INVOLVES, AT, FROM, TO) start at the event, whose sources come along as `eventSources`:
 * the links that carry no `sources` of their own (AT, FROM, TO) cite those.
 */
export function findEdgesAmong(ids: readonly string[], scope: TraversalScope): Statement {
  return {
    cypher: `MATCH (a:Node) USING INDEX SEEK a:Node(id) WHERE a.id IN $ids
MATCH (a)-[r:${relationshipTypes(scope)}]->(b:Node)
WHERE b.id IN $ids AND r.retiredAt IS NULL AND ${relationInForce(scope, 'r')}
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props,
  CASE WHEN a:Event THEN coalesce(a.sources, []) END AS eventSources
ORDER BY id`,
    params: { ids, ...dateParams(scope) },
  };
}

export type { EdgeRow };

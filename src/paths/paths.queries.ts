import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { cypherIntLiteral } from '../network/limits';
import { dateParams, eventNotAfter, relationInForce, relationshipTypes, type TraversalScope } from '../network/network.queries';
import type { EdgeRow } from '../network/graphSlice';

export interface PathRow {
  nodes: Record<string, unknown>[];
  rels: EdgeRow[];
}

/**
 * The `k` shortest paths between two nodes over the scope's relationship types, undirected, at most
 * `maxHops` long (Cypher 5 `SHORTEST k` over a quantified path pattern). For the public, no path passes
 * through or ends at a victim. `k` and `maxHops` must be validated: Cypher takes no parameter there.
 * The index hints keep both ends unique-index seeks whatever the planner's statistics say.
 */
export function findShortestPaths(from: string, to: string, k: number, maxHops: number, scope: TraversalScope): Statement {
  // Retired nodes and relationships (src/mutation) are not walked through; with asOf, neither are relationships
  // out of force then, nor events after it (both ends included).
  const notLater = (n: string): string => (scope.asOf ? ` AND ${eventNotAfter(n)}` : '');
  const visible = `${scope.victimsVisible ? 'NOT x:Source' : 'NOT x:Source AND NOT x:Victim'} AND x.retiredAt IS NULL${notLater('x')}`;
  const ends = `${scope.victimsVisible ? '' : ' AND NOT a:Victim AND NOT b:Victim'}${notLater('a')}${notLater('b')}`;
  const inForce = scope.asOf ? ` AND ${relationInForce(scope, 'hop')}` : '';
  return {
    cypher: `MATCH (a:Node {id: $from}), (b:Node {id: $to})
USING INDEX SEEK a:Node(id)
USING INDEX SEEK b:Node(id)
WHERE NOT a:Source AND NOT b:Source AND a.retiredAt IS NULL AND b.retiredAt IS NULL${ends}
MATCH p = SHORTEST ${cypherIntLiteral(k)} (a) (()-[hop:${relationshipTypes(scope)} WHERE hop.retiredAt IS NULL${inForce}]-(x:Node WHERE ${visible})){1,${cypherIntLiteral(maxHops)}} (b)
RETURN [n IN nodes(p) | ${projectNode('n')}] AS nodes,
  [r IN relationships(p) | {id: r.id, type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}] AS rels`,
    params: { from, to, ...dateParams(scope) },
  };
}

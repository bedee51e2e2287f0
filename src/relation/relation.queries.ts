import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import type { Projection } from '../common/projection';
import { RELATION_TYPES, type RelationType } from './relation.model';

export interface RelationRow {
  id: string;
  relation: {
    id: string;
    type: string;
    outgoing: boolean;
    props: Record<string, unknown>;
    other: Record<string, unknown>;
  };
}

/**
 * The entity relationships of each entity id, with the node at the other end: of the given types
 * (default all) in the given direction (default both), both put into the pattern so Neo4j expands
 * only what is asked for. Types come from the closed RELATION_TYPES list only. The node at the other
 * end is projected as `projection` says (default: every property).
 */
export function findRelationsByEntityIds(
  ids: readonly string[],
  types: readonly RelationType[] = RELATION_TYPES,
  direction: 'OUTGOING' | 'INCOMING' | 'BOTH' = 'BOTH',
  projection: Projection = null,
): Statement {
  const safeTypes = RELATION_TYPES.filter((type) => types.includes(type)).join('|');
  const [left, right] = direction === 'OUTGOING' ? ['-', '->'] : direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
  return {
    cypher: `UNWIND $ids AS id
MATCH (n:Node {id: id})${left}[r:${safeTypes}]${right}(o:Node)
WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
RETURN id, ${relationMap('r', 'n', projectNode('o', projection))} AS relation`,
    params: { ids },
  };
}

/**
 * The Cypher map of relationship `r` seen from node `from`, in the form the loaders read (src/loaders.ts):
 * its id, type, direction, the properties a RelationRecord has, and `other`, the node at the other end.
 * `extra` adds entries (src/common/prefetch.ts adds what it fetched below `other`).
 */
export function relationMap(r: string, from: string, other: string, extra = ''): string {
  return `{id: ${r}.id, type: type(${r}), outgoing: startNode(${r}) = ${from}, props: ${r} {.start, .end, .startFrom, .endTo, .position, .sources}, other: ${other}${extra}}`;
}

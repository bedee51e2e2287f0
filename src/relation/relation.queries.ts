import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { RELATION_PROPERTIES, type Projection } from '../common/projection';
import { RELATION_TYPES, type RelationType } from './relation.model';

export interface RelationRow {
  id: string;
  relation: {
    id: string;
    type: string;
    outgoing: boolean;
    /** Absent when the relation projection asks for none. */
    props?: Record<string, unknown>;
    other: Record<string, unknown>;
  };
}

/**
 * The entity relationships of each entity id, with the node at the other end: of the given types
 * (default all) in the given direction (default both), both put into the pattern so Neo4j expands
 * only what is asked for. Types come from the closed RELATION_TYPES list only. The node at the other
 * end is projected as `projection` says, the relationship as `relationProjection` says (default: every property).
 */
export function findRelationsByEntityIds(
  ids: readonly string[],
  types: readonly RelationType[] = RELATION_TYPES,
  direction: 'OUTGOING' | 'INCOMING' | 'BOTH' = 'BOTH',
  projection: Projection = null,
  relationProjection: Projection = null,
): Statement {
  const safeTypes = RELATION_TYPES.filter((type) => types.includes(type)).join('|');
  const [left, right] = direction === 'OUTGOING' ? ['-', '->'] : direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
  return {
    cypher: `UNWIND $ids AS id
MATCH (n:Node {id: id})${left}[r:${safeTypes}]${right}(o:Node)
WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
RETURN id, ${relationMap('r', 'n', projectNode('o', projection), '', relationProjection)} AS relation`,
    params: { ids },
  };
}

/**
 * The Cypher map of relationship `r` seen from node `from`, in the form the loaders read (src/loaders.ts):
 * its id, type, direction, `props` (the properties of a RelationRecord that `relationProjection` names, all
 * when null, no entry when empty) and `other`, the node at the other end. `extra` adds entries
 * (src/common/prefetch.ts adds what it fetched below `other`).
 */
export function relationMap(r: string, from: string, other: string, extra = '', relationProjection: Projection = null): string {
  const names = relationProjection === null ? RELATION_PROPERTIES : RELATION_PROPERTIES.filter((name) => relationProjection.includes(name));
  const props = names.length === 0 ? '' : `, props: ${r} {${names.map((name) => `.${name}`).join(', ')}}`;
  return `{id: ${r}.id, type: type(${r}), outgoing: startNode(${r}) = ${from}${props}, other: ${other}${extra}}`;
}

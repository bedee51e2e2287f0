import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { RELATION_TYPES } from './relation.model';

const TYPES = RELATION_TYPES.join('|');

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

/** Every entity relationship of each entity id, with the node at the other end. */
export function findRelationsByEntityIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (n:Node {id: id})-[r:${TYPES}]-(o:Node)
RETURN id, {id: r.id, type: type(r), outgoing: startNode(r) = n, props: properties(r), other: ${projectNode('o')}} AS relation`,
    params: { ids },
  };
}

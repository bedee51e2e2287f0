import type { Statement } from '../db/executor';
import type { NodeRecord } from './node.model';

/**
 * A Cypher map projection of a node into a record: its properties, its main label and whether it is a victim.
 * `variable` is a Cypher variable name chosen by the caller (never user input).
 */
export function projectNode(variable: string): string {
  return `${variable} {.*, label: head([l IN labels(${variable}) WHERE l IN ['Person','Compound','Organisation','Event','Source']]), victim: ${variable}:Victim}`;
}

export interface NodeByIdRow {
  id: string;
  node: NodeRecord | null;
}

/** Nodes by global id, one row per id asked, `node` null where absent. */
export function findNodesByIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
OPTIONAL MATCH (n:Node {id: id})
RETURN id, CASE WHEN n IS NULL THEN null ELSE ${projectNode('n')} END AS node`,
    params: { ids },
  };
}

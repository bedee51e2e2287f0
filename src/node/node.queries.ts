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

/**
 * Nodes by global id, one row per id asked, `node` null where absent. The id of an entity merged into
 * another (src/resolution/) answers the kept entity, following up to two merges.
 */
export function findNodesByIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
OPTIONAL MATCH (found:Node {id: id})
OPTIONAL MATCH (m1:Merge {mergedId: id, active: true}) WHERE found IS NULL
OPTIONAL MATCH (k1:Node {id: m1.keptId})
OPTIONAL MATCH (m2:Merge {mergedId: m1.keptId, active: true}) WHERE k1 IS NULL
OPTIONAL MATCH (k2:Node {id: m2.keptId})
WITH id, coalesce(found, k1, k2) AS n
RETURN id, CASE WHEN n IS NULL THEN null ELSE ${projectNode('n')} END AS node`,
    params: { ids },
  };
}

import type { Statement } from '../db/executor';

/**
 * Cypher of the dump, the restore and the graph checksum. Labels and relationship types of a restore
 * are data (whatever the dump holds), so they go in as parameters through Neo4j 5.26's dynamic
 * labels `$(…)`, never into the query text.
 */

/** Every node with its element id, labels and properties, streamed. */
export function streamNodes(): Statement {
  return { cypher: 'MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties', params: {} };
}

/** Every relationship with its type, endpoints (element ids) and properties, streamed. */
export function streamRelationships(): Statement {
  return {
    cypher:
      'MATCH (a)-[r]->(b) RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS start, elementId(b) AS end, properties(r) AS properties',
    params: {},
  };
}

/** Whether the database holds any node; `sample` lists a few labels for the error message. */
export function findAnyNode(): Statement {
  return {
    cypher: 'CALL { MATCH (n) RETURN count(n) AS nodes } OPTIONAL MATCH (m) WITH nodes, m LIMIT 1 RETURN nodes, labels(m) AS sample',
    params: {},
  };
}

/** The temporary label and property that let relationships find their restored endpoints. */
export const RESTORE_LABEL = 'TgRestore';
export const RESTORE_BATCH_LABEL = 'TgRestoreBatch';

/** The index that makes endpoint lookups of the restore fast; dropped at the end. */
export function createRestoreIndex(): Statement {
  return { cypher: `CREATE INDEX tg_restore_id IF NOT EXISTS FOR (n:${RESTORE_LABEL}) ON (n.tgRestoreId)`, params: {} };
}

export function awaitIndexes(): Statement {
  return { cypher: 'CALL db.awaitIndexes(300)', params: {} };
}

export interface RestoreNodeRow {
  id: string;
  labels: string[];
  properties: Record<string, unknown>;
}

export interface RestoreRelationshipRow {
  type: string;
  start: string;
  end: string;
  properties: Record<string, unknown>;
}

/**
 * Runs the rest of a restore statement only if batch `$batch` has no marker yet, and writes the marker
 * in the same transaction: a driver retry after a commit whose answer was lost becomes a no-op.
 */
const ONCE_PER_BATCH = `      OPTIONAL MATCH (done:${RESTORE_BATCH_LABEL} {batch: $batch})
      WITH done WHERE done IS NULL
      CREATE (:${RESTORE_BATCH_LABEL} {batch: $batch})
      WITH 1 AS ignored
`;

/** Creates one batch of nodes, once ({@link ONCE_PER_BATCH}). */
export function createNodeBatch(batch: number, rows: RestoreNodeRow[]): Statement {
  return {
    cypher: `
${ONCE_PER_BATCH}      UNWIND $rows AS row
      CREATE (n:${RESTORE_LABEL} {tgRestoreId: row.id})
      SET n += row.properties
      SET n:$(row.labels)
      RETURN count(n) AS created`,
    params: { batch, rows },
  };
}

/** Creates one batch of relationships between restored nodes; idempotent like {@link createNodeBatch}. */
export function createRelationshipBatch(batch: number, rows: RestoreRelationshipRow[]): Statement {
  return {
    cypher: `
${ONCE_PER_BATCH}      UNWIND $rows AS row
      MATCH (a:${RESTORE_LABEL} {tgRestoreId: row.start})
      MATCH (b:${RESTORE_LABEL} {tgRestoreId: row.end})
      CREATE (a)-[r:$(row.type)]->(b)
      SET r = row.properties
      RETURN count(r) AS created`,
    params: { batch, rows },
  };
}

/** Removes the restore's markers from up to 10,000 nodes; returns how many it touched (0 when done). */
export function clearRestoreMarkers(): Statement {
  return {
    cypher: `
      CALL {
        MATCH (m:${RESTORE_BATCH_LABEL}) WITH m LIMIT 10000 DELETE m RETURN count(*) AS markers
      }
      CALL {
        MATCH (n:${RESTORE_LABEL}) WITH n LIMIT 10000 REMOVE n:${RESTORE_LABEL}, n.tgRestoreId RETURN count(*) AS nodes
      }
      RETURN markers + nodes AS touched`,
    params: {},
  };
}

export function dropRestoreIndex(): Statement {
  return { cypher: 'DROP INDEX tg_restore_id IF EXISTS', params: {} };
}

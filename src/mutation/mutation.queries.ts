import { int, type Statement } from '../db/executor';
import { RELATION_TYPES } from '../relation/relation.model';

/**
 * Cypher of the write API (src/mutation/mutations.ts): reading the state a change starts from, retiring,
 * and the append-only `(:Change)` log. Entity writes themselves reuse src/ingest/dataset.queries.ts.
 */

/** A node as a change sees it: labels, raw properties, and an event's participants. */
export interface ChangeSubjectRow {
  id: string;
  labels: string[];
  props: Record<string, unknown>;
  participants: { id: string; role: string }[];
}

/** The node `id` (entity or event, never a Source), or no row. */
export function findChangeSubject(id: string): Statement {
  return {
    cypher: `MATCH (n:Node {id: $id}) WHERE NOT n:Source
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props,
  [(n)-[r:INVOLVES]->(x:Node) | {id: x.id, role: r.role}] AS participants`,
    params: { id },
  };
}

/** An entity relationship as a change sees it. */
export interface RelationshipSubjectRow {
  type: string;
  from: string;
  to: string;
  props: Record<string, unknown>;
}

/** The entity relationship with id `id` (`from|TYPE|to[|key]`), or no row. */
export function findRelationshipSubject(id: string, from: string, to: string): Statement {
  return {
    cypher: `MATCH (a:Node {id: $from})-[r]->(b:Node {id: $to})
WHERE r.id = $id AND type(r) IN $types
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props`,
    params: { id, from, to, types: [...RELATION_TYPES] },
  };
}

/** Marks a node retired; it stays in the database with all its links. */
export function retireNode(id: string, at: string, by: string | null): Statement {
  return {
    cypher: `MATCH (n:Node {id: $id}) WHERE NOT n:Source AND n.retiredAt IS NULL
SET n.retiredAt = $at, n.retiredBy = $by
RETURN properties(n) AS props`,
    params: { id, at, by },
  };
}

/** Marks an entity relationship retired: relation lists no longer show it. */
export function retireRelationship(id: string, from: string, to: string, at: string, by: string | null): Statement {
  return {
    cypher: `MATCH (a:Node {id: $from})-[r]->(b:Node {id: $to})
WHERE r.id = $id AND type(r) IN $types AND r.retiredAt IS NULL
SET r.retiredAt = $at, r.retiredBy = $by
RETURN properties(r) AS props`,
    params: { id, from, to, at, by, types: [...RELATION_TYPES] },
  };
}

/** Which of `ids` are taken by a live node or by a node merged away (which an unmerge may bring back). */
export function findTakenIds(ids: string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
CALL (id) { OPTIONAL MATCH (n:Node {id: id}) OPTIONAL MATCH (m:Merged {id: id}) RETURN n IS NOT NULL OR m IS NOT NULL AS taken }
WITH id WHERE taken RETURN collect(id) AS existing`,
    params: { ids },
  };
}

/** A stored record an import writes over, as its change's `before` keeps it. */
export interface StoredRecordRow {
  id: string;
  props: Record<string, unknown>;
  participants: { id: string; role: string }[];
}

/**
 * The stored state of the records an import is about to write over: nodes and claims by id, relationships by id
 * between their two ends. Records not stored yet give no row.
 */
export function findStoredRecords(ids: string[], relationships: { id: string; from: string; to: string }[]): Statement {
  return {
    cypher: `CALL () {
  UNWIND $ids AS id
  OPTIONAL MATCH (n:Node {id: id})
  OPTIONAL MATCH (c:Claim {id: id})
  WITH id, coalesce(n, c) AS x WHERE x IS NOT NULL
  RETURN id, properties(x) AS props, [(x)-[r:INVOLVES]->(p:Node) | {id: p.id, role: r.role}] AS participants
UNION ALL
  UNWIND $relationships AS rel
  MATCH (a:Node {id: rel.from})-[r]->(:Node {id: rel.to}) WHERE r.id = rel.id AND type(r) IN $types
  RETURN rel.id AS id, properties(r) AS props, [] AS participants
}
RETURN id, props, participants`,
    params: { ids, relationships, types: [...RELATION_TYPES] },
  };
}

/** One row of the change log, as stored (before/after as JSON text). */
export interface ChangeRow {
  id: string;
  at: string;
  keyId: string | null;
  role: string;
  operation: string;
  entityIds: string[];
  before: string | null;
  after: string | null;
  reason: string | null;
}

/** Appends one change; changes are never updated or deleted. */
export function createChange(change: ChangeRow): Statement {
  return {
    cypher: 'CREATE (c:Change) SET c = $change RETURN c.id AS id',
    params: { change: Object.fromEntries(Object.entries(change).filter(([, v]) => v !== null)) },
  };
}

/** The newest `first` changes that touched `entityId`. */
export function findChangesByEntityId(entityId: string, first: number): Statement {
  return {
    cypher: `MATCH (c:Change) WHERE $entityId IN c.entityIds
WITH c ORDER BY c.at DESC, c.id DESC LIMIT $first
RETURN c {.*} AS change`,
    params: { entityId, first: int(first) },
  };
}

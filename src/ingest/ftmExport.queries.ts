import { int, type Statement } from '../db/executor';
import { RELATION_TYPES } from '../relation/relation.model';

/** Reads of the FtM export, paged by id so a graph of any size streams in pages. */

/** One page of entities (persons, organisations, compounds, events) after `afterId`, victims only when asked; never a retired one. */
export function findEntitiesPage(afterId: string, pageSize: number, includeVictims: boolean): Statement {
  return {
    cypher: `MATCH (n:Node)
WHERE n.id > $afterId AND (n:Person OR n:Organisation OR n:Compound OR n:Event) AND n.retiredAt IS NULL AND ($includeVictims OR NOT n:Victim)
WITH n ORDER BY n.id LIMIT $pageSize
OPTIONAL MATCH (n)-[p:INVOLVES]->(x:Node) WHERE x.retiredAt IS NULL AND ($includeVictims OR NOT x:Victim)
RETURN n {.*, location: null, label: [l IN labels(n) WHERE l IN ['Person', 'Organisation', 'Compound', 'Event']][0],
  lat: n.location.latitude, lon: n.location.longitude} AS node,
  [q IN collect(p) WHERE q IS NOT NULL | {id: endNode(q).id, role: q.role, referents: endNode(q).referents}] AS participants`,
    params: { afterId, pageSize: int(pageSize), includeVictims },
  };
}

/** One page of entity relationships after `afterId`, skipping retired ones, those touching a retired entity, and those that touch victims unless asked. */
export function findRelationshipsPage(afterId: string, pageSize: number, includeVictims: boolean): Statement {
  return {
    cypher: `MATCH (a:Node)-[r]->(b:Node)
WHERE type(r) IN $types AND r.id > $afterId AND r.retiredAt IS NULL AND a.retiredAt IS NULL AND b.retiredAt IS NULL
  AND ($includeVictims OR (NOT a:Victim AND NOT b:Victim))
WITH a, r, b ORDER BY r.id LIMIT $pageSize
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, a.referents AS fromReferents, b.referents AS toReferents,
  r.start AS start, r.end AS end, r.position AS position`,
    params: { afterId, pageSize: int(pageSize), includeVictims, types: [...RELATION_TYPES] },
  };
}

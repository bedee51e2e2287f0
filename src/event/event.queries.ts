import { int, type Statement } from '../db/executor';
import { citedBy, datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { EventFilter, EventOrder } from '../generated/graphql';
import { projectNode } from '../node/node.queries';
import type { Projection } from '../common/projection';

export interface ParticipationRow {
  id: string;
  role: string;
  event: Record<string, unknown>;
}

/**
 * The events each entity id took part in: as a participant (INVOLVES, with its role), or, for a
 * compound, as the place (AT -> location), the origin (FROM) or the destination (TO) of a move.
 * In date order (then id, then role), of the given stored kinds only (all when null), at most `first`
 * per id: the limit is applied per entity inside Neo4j, so a busy entity's whole history is not sent.
 * Retired events are left out.
 */
export function findParticipationsByEntityIds(
  ids: readonly string[],
  kinds: readonly string[] | null = null,
  first: number | null = null,
  projection: Projection = null,
): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)<-[r:INVOLVES|AT|FROM|TO]-(e:Event)
  WHERE e.retiredAt IS NULL ${kinds ? 'AND e.kind IN $kinds' : ''}
  WITH e, CASE type(r) WHEN 'INVOLVES' THEN r.role WHEN 'AT' THEN 'location' WHEN 'FROM' THEN 'origin' ELSE 'destination' END AS role
  ORDER BY e.dateStart, e.id, role
  ${first === null ? '' : 'LIMIT $first'}
  RETURN e, role
}
RETURN id, role, ${projectNode('e', projection)} AS event`,
    params: { ids, ...(kinds ? { kinds } : {}), ...(first === null ? {} : { first: int(first) }) },
  };
}

export interface ParticipantRow {
  id: string;
  role: string;
  sources: string[] | null;
  entity: Record<string, unknown>;
}

/** The participants of each event id, in a stable order. */
export function findParticipantsByEventIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (:Event {id: id})-[r:INVOLVES]->(x:Node)
RETURN id, r.role AS role, r.sources AS sources, ${projectNode('x')} AS entity
ORDER BY id, r.role, x.id`,
    params: { ids },
  };
}

export interface StatusEventRow {
  id: string;
  event: Record<string, unknown>;
}

/**
 * The status-changing events (status_change with a status, and raids) at each compound id, in date order. Retired
 * events are left out: a withdrawn raid no longer sets a status (until December 5th, 2026 it did).
 */
export function findStatusEventsByCompoundIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (:Compound {id: id})<-[:AT]-(e:Event)
WHERE (e.kind = 'raid' OR (e.kind = 'status_change' AND e.status IS NOT NULL)) AND e.retiredAt IS NULL
RETURN id, ${projectNode('e')} AS event
ORDER BY e.dateStart, e.id`,
    params: { ids },
  };
}

/**
 * The events list. A period filter keeps events whose (partial) date overlaps it. For the public role,
 * a participant filter naming a victim matches nothing, exactly like an unknown id.
 */
export function listEvents(
  filter: EventFilter | null | undefined,
  order: EventOrder | null | undefined,
  page: Page,
  range: { from?: { start: string } | undefined; to?: { end: string } | undefined },
  victimsVisible: boolean,
): Statement {
  const conditions: Condition[] = [];
  if (filter?.kinds?.length) conditions.push({ cypher: 'n.kind IN $kinds', params: { kinds: storedValues(filter.kinds) } });
  if (range.from) conditions.push({ cypher: 'n.dateEnd >= $fromDate', params: { fromDate: range.from.start } });
  if (range.to) conditions.push({ cypher: 'n.dateStart <= $toDate', params: { toDate: range.to.end } });
  if (filter?.country?.length) conditions.push({ cypher: 'n.country IN $country', params: { country: filter.country.map((c) => c.toLowerCase()) } });
  if (filter?.compoundId) {
    conditions.push({ cypher: 'EXISTS { (n)-[:AT|FROM|TO]->(:Compound {id: $compoundId}) }', params: { compoundId: filter.compoundId } });
  }
  if (filter?.participantId) {
    conditions.push({
      cypher: `EXISTS { (n)-[:INVOLVES]->(x:Node {id: $participantId})${victimsVisible ? '' : ' WHERE NOT x:Victim'} }`,
      params: { participantId: filter.participantId },
    });
  }
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  if (filter?.sourceId) conditions.push(citedBy(filter.sourceId));
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  // Undated events come last in either direction (the event_date index holds only dated ones).
  const sort = order?.field === 'ID'
    ? orderedBy('n.id', direction)
    : { orderBy: [`n.dateStart ${direction}`, `n.dateEnd ${direction}`, 'n.id'], indexedOrder: { property: 'dateStart', nullable: true } as const };
  return listStatement({ match: 'MATCH (n:Event)', conditions, ...sort, page });
}

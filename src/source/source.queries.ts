import { int, type Statement } from '../db/executor';
import { datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { SourceFilter, SourceOrder } from '../generated/graphql';
import { projectNode } from '../node/node.queries';
import { RELATION_TYPES } from '../relation/relation.model';

export interface CitationRow {
  id: string;
  count: number;
}

/** What of victims a viewer may read (src/auth/viewer.ts): victims themselves (journalists up), claims about them (investigators up). */
export interface CitationVisibility {
  victims: boolean;
  claimsAboutVictims: boolean;
}

/**
 * How many nodes and relationships cite each source id, counting only what the viewer may read: retired nodes
 * and relationships never; without `victims`, no victim and no relationship touching one; without
 * `claimsAboutVictims`, no claim about a victim (the rule of `Person.claims`).
 * - nodes: entities and events linked by SOURCED_BY (what `Source.supports` lists), and claims;
 * - entity relationships whose `sources` list holds the id.
 * An event's participations and its links to compounds are part of the event and count with it, once.
 *
 * Entity relationships are found by one scan of their types for the whole batch: a relationship may cite a source
 * that neither of its ends cites, and no index holds the lists.
 *
 *     countCitationsBySourceIds(['source:demo-synthetic'], { victims: false, claimsAboutVictims: false }) // the public's count
 */
export function countCitationsBySourceIds(ids: readonly string[], visible: CitationVisibility): Statement {
  const shown = (x: string, victims = visible.victims): string => `${x}.retiredAt IS NULL${victims ? '' : ` AND NOT ${x}:Victim`}`;
  return {
    cypher: `CALL () {
  MATCH (a:Node)-[r:${RELATION_TYPES.join('|')}]->(b:Node)
  WHERE r.retiredAt IS NULL AND any(cited IN coalesce(r.sources, []) WHERE cited IN $ids) AND ${shown('a')} AND ${shown('b')}
  UNWIND [cited IN $ids WHERE cited IN r.sources] AS id
  RETURN id, count(r) AS relations
  UNION ALL
  UNWIND $ids AS id
  RETURN id, 0 AS relations
}
WITH id, sum(relations) AS relations
OPTIONAL MATCH (s:Source {id: id})
RETURN id, relations
  + COUNT { MATCH (s)<-[:SOURCED_BY]-(n:Node) WHERE ${shown('n')} }
  + COUNT { MATCH (s)<-[:SOURCED_BY]-(:Claim)-[:ABOUT]->(subject:Node) WHERE ${shown('subject', visible.claimsAboutVictims)} } AS count`,
    params: { ids },
  };
}

export interface SupportedRow {
  node: Record<string, unknown>;
}

/** The entities and events a source supports, by id order, at most `limit`; retired ones never, victims only when not excluded. */
export function findNodesSupportedBySource(id: string, limit: number, excludeVictims: boolean): Statement {
  return {
    cypher: `MATCH (:Source {id: $id})<-[:SOURCED_BY]-(n:Node)
WHERE n.retiredAt IS NULL AND NOT ($excludeVictims AND n:Victim)
RETURN ${projectNode('n')} AS node
ORDER BY n.id
LIMIT $limit`,
    params: { id, limit: int(limit), excludeVictims },
  };
}

/** The sources list with its filters and ordering. */
export function listSources(
  filter: SourceFilter | null | undefined,
  order: SourceOrder | null | undefined,
  page: Page,
  range: { from?: { start: string } | undefined; to?: { end: string } | undefined },
): Statement {
  const conditions: Condition[] = [];
  if (filter?.kind?.length) conditions.push({ cypher: 'n.kind IN $kind', params: { kind: storedValues(filter.kind) } });
  if (filter?.reliability?.length) conditions.push({ cypher: 'n.reliability IN $reliability', params: { reliability: filter.reliability } });
  if (filter?.publisherContains) {
    conditions.push({ cypher: 'toLower(n.publisher) CONTAINS $publisher', params: { publisher: filter.publisherContains.toLowerCase() } });
  }
  if (range.from) conditions.push({ cypher: 'n.publishedEnd >= $fromDate', params: { fromDate: range.from.start } });
  if (range.to) conditions.push({ cypher: 'n.publishedStart <= $toDate', params: { toDate: range.to.end } });
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  const key = order?.field === 'TITLE' ? 'toLower(n.title)' : order?.field === 'ID' ? 'n.id' : 'n.publishedStart';
  return listStatement({ match: 'MATCH (n:Source)', conditions, ...orderedBy(key, direction), page });
}

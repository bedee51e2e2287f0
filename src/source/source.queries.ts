import { int, type Statement } from '../db/executor';
import { datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { SourceFilter, SourceOrder } from '../generated/graphql';
import { projectNode } from '../node/node.queries';

export interface CitationRow {
  id: string;
  count: number;
}

/** How many nodes cite each source id. */
export function countCitationsBySourceIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
OPTIONAL MATCH (:Source {id: id})<-[:SOURCED_BY]-(n)
RETURN id, count(n) AS count`,
    params: { ids },
  };
}

export interface SupportedRow {
  node: Record<string, unknown>;
}

/** The entities and events a source supports, by id order, at most `limit`. */
export function findNodesSupportedBySource(id: string, limit: number, excludeVictims: boolean): Statement {
  return {
    cypher: `MATCH (:Source {id: $id})<-[:SOURCED_BY]-(n:Node)
WHERE NOT ($excludeVictims AND n:Victim)
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

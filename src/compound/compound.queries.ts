import type { Statement } from '../db/executor';
import { citedBy, datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { CompoundFilter, CompoundOrder } from '../generated/graphql';

const ORDER_KEYS = { NAME: 'toLower(n.name)', COUNTRY: 'n.country', HEADCOUNT: 'n.estimatedHeadcount', ID: 'n.id' } as const;

/**
 * The compounds list with its filters and ordering. Without `victimsVisible` (the public) an `operatorId` that is a victim's
 * matches nothing, as an id that names nothing does (the events list's `participantId` the same).
 */
export function listCompounds(filter: CompoundFilter | null | undefined, order: CompoundOrder | null | undefined, page: Page, victimsVisible: boolean): Statement {
  const conditions: Condition[] = [];
  if (filter?.country?.length) conditions.push({ cypher: 'n.country IN $country', params: { country: filter.country.map((c) => c.toLowerCase()) } });
  if (filter?.status?.length) conditions.push({ cypher: 'n.status IN $status', params: { status: storedValues(filter.status) } });
  if (filter?.nameContains) {
    conditions.push({
      cypher: 'toLower(n.name) CONTAINS $nameContains OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $nameContains)',
      params: { nameContains: filter.nameContains.normalize('NFC').toLowerCase() },
    });
  }
  if (filter?.operatorId) conditions.push({ cypher: `EXISTS { (n)<-[:OPERATES]-(x:Node {id: $operatorId})${victimsVisible ? '' : ' WHERE NOT x:Victim'} }`, params: { operatorId: filter.operatorId } });
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  if (filter?.sourceId) conditions.push(citedBy(filter.sourceId));
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  const key = ORDER_KEYS[order?.field ?? 'NAME'];
  return listStatement({ match: 'MATCH (n:Compound)', conditions, ...orderedBy(key, direction), page });
}

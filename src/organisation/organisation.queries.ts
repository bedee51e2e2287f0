import type { Statement } from '../db/executor';
import { citedBy, datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { OrganisationFilter, OrganisationOrder } from '../generated/graphql';

const ORDER_KEYS = { NAME: 'toLower(n.name)', KIND: 'n.kind', ID: 'n.id' } as const;

/** The organisations list with its filters and ordering. */
export function listOrganisations(
  filter: OrganisationFilter | null | undefined,
  order: OrganisationOrder | null | undefined,
  page: Page,
): Statement {
  const conditions: Condition[] = [];
  if (filter?.kind?.length) conditions.push({ cypher: 'n.kind IN $kind', params: { kind: storedValues(filter.kind) } });
  if (filter?.country?.length) {
    conditions.push({ cypher: 'any(c IN n.country WHERE c IN $country)', params: { country: filter.country.map((c) => c.toLowerCase()) } });
  }
  if (filter?.nameContains) {
    conditions.push({
      cypher: 'toLower(n.name) CONTAINS $nameContains OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $nameContains)',
      params: { nameContains: filter.nameContains.normalize('NFC').toLowerCase() },
    });
  }
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  if (filter?.sourceId) conditions.push(citedBy(filter.sourceId));
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  const key = ORDER_KEYS[order?.field ?? 'NAME'];
  return listStatement({ match: 'MATCH (n:Organisation)', conditions, ...orderedBy(key, direction), page });
}

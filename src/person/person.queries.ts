import type { Statement } from '../db/executor';
import { canSeeVictimIdentity, canSeeVictims, type Viewer } from '../auth/viewer';
import { citedBy, datasetValues, listStatement, orderedBy, storedValues, type Condition } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { PersonFilter, PersonOrder } from '../generated/graphql';

/**
 * The persons list. Victim protection lives here: the public never gets a victim row, and a filter or
 * ordering on a protected field (name, nationality) never matches or places a victim for anyone
 * below investigator: victims are ordered by id (which reveals nothing) when sorting by name.
 */
export function listPersons(filter: PersonFilter | null | undefined, order: PersonOrder | null | undefined, page: Page, viewer: Viewer): Statement {
  const conditions: Condition[] = [];
  const identity = canSeeVictimIdentity(viewer);
  if (!canSeeVictims(viewer)) conditions.push({ cypher: 'NOT n:Victim' });
  if (filter?.roles?.length) conditions.push({ cypher: 'any(r IN n.roles WHERE r IN $roles)', params: { roles: storedValues(filter.roles) } });
  if (filter?.nationality?.length) {
    conditions.push({
      cypher: `any(c IN n.nationality WHERE c IN $nationality)${identity ? '' : ' AND NOT n:Victim'}`,
      params: { nationality: filter.nationality.map((c) => c.toLowerCase()) },
    });
  }
  if (filter?.nameContains) {
    conditions.push({
      cypher: `(toLower(n.name) CONTAINS $nameContains OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $nameContains))${identity ? '' : ' AND NOT n:Victim'}`,
      params: { nameContains: filter.nameContains.toLowerCase() },
    });
  }
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  if (filter?.sourceId) conditions.push(citedBy(filter.sourceId));
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  const nameKey = identity ? 'toLower(n.name)' : "CASE WHEN n:Victim THEN '~' + n.id ELSE toLower(n.name) END";
  return listStatement({ match: 'MATCH (n:Person)', conditions, ...orderedBy(order?.field === 'ID' ? 'n.id' : nameKey, direction), page });
}

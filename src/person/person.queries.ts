import type { Statement } from '../db/executor';
import { canSeeVictimIdentity, canSeeVictims, type Viewer } from '../auth/viewer';
import { citedBy, datasetValues, listStatement, orderedBy, storedValues, type Condition, type ListQuery } from '../common/listQuery';
import type { Page } from '../common/pagination';
import type { PersonFilter, PersonOrder } from '../generated/graphql';
import { MASKED_VICTIM_ROLES } from './victimIdentity';

/**
 * The persons list. Victim protection lives here: the public never gets a victim row, and a filter or
 * ordering on a protected field (name, nationality, roles but `victim`; src/person/victimIdentity.ts) never
 * matches or places a victim for anyone below investigator: sorted by name, those victims come after
 * everyone else in either direction, by id (which reveals nothing), as undated events come last.
 */
export function listPersons(filter: PersonFilter | null | undefined, order: PersonOrder | null | undefined, page: Page, viewer: Viewer): Statement {
  const conditions: Condition[] = [];
  const identity = canSeeVictimIdentity(viewer);
  if (!canSeeVictims(viewer)) conditions.push({ cypher: 'NOT n:Victim' });
  if (filter?.roles?.length) {
    // A victim's other roles are identity: below investigator, a victim has the role `victim` only.
    const roles = identity ? 'n.roles' : 'CASE WHEN n:Victim THEN $maskedRoles ELSE n.roles END';
    conditions.push({ cypher: `any(r IN ${roles} WHERE r IN $roles)`, params: { roles: storedValues(filter.roles), maskedRoles: MASKED_VICTIM_ROLES } });
  }
  if (filter?.nationality?.length) {
    conditions.push({
      cypher: `any(c IN n.nationality WHERE c IN $nationality)${identity ? '' : ' AND NOT n:Victim'}`,
      params: { nationality: filter.nationality.map((c) => c.toLowerCase()) },
    });
  }
  if (filter?.nameContains) {
    conditions.push({
      cypher: `(toLower(n.name) CONTAINS $nameContains OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS $nameContains))${identity ? '' : ' AND NOT n:Victim'}`,
      params: { nameContains: filter.nameContains.normalize('NFC').toLowerCase() },
    });
  }
  if (filter?.dataset?.length) conditions.push({ cypher: 'n.dataset IN $dataset', params: { dataset: datasetValues(filter.dataset) } });
  if (filter?.sourceId) conditions.push(citedBy(filter.sourceId));
  const direction = order?.direction === 'DESC' ? 'DESC' : 'ASC';
  return listStatement({ match: 'MATCH (n:Person)', conditions, ...(order?.field === 'ID' ? orderedBy('n.id', direction) : byName(direction, identity)), page });
}

/**
 * ORDER BY name, ties by id. For a viewer who may not see victims' identity, victims first go after everyone
 * else (false sorts before true) and then by id ascending, whatever the direction, so DESC does not put them
 * first. Costs no scan a name order does not already make: there is no index on `toLower(n.name)`, every match
 * is sorted either way.
 */
function byName(direction: 'ASC' | 'DESC', identity: boolean): Pick<ListQuery, 'orderBy'> {
  if (identity) return { orderBy: [`toLower(n.name) ${direction}`, 'n.id'] };
  return { orderBy: ['n:Victim', `CASE WHEN n:Victim THEN null ELSE toLower(n.name) END ${direction}`, 'n.id'] };
}

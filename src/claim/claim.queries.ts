import type { Statement } from '../db/executor';

export interface ClaimRow {
  id: string;
  claim: Record<string, unknown>;
}

/** The claims about each subject id. */
export function findClaimsBySubjectIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (c:Claim)-[:ABOUT]->(:Node {id: id})
RETURN id, c {.*} AS claim
ORDER BY c.property, c.id`,
    params: { ids },
  };
}

/**
 * A Cypher predicate: true when claims about the event bound to `event` give more than one value for its price, or for
 * its currency (as `Claim.disputed` says of each claim). The event's stored price still counts in price statistics;
 * this says that the sources do not agree on it.
 *
 *     `WITH e, ${priceDisputed('e')} AS disputed`
 */
export function priceDisputed(event: string): string {
  // A dispute takes two claims. Most events have none, and the count of their ABOUT relationships is a degree read
  // (no relationship is visited), so the subquery runs only for the few with two or more.
  return `CASE WHEN COUNT { (${event})<-[:ABOUT]-() } < 2 THEN false ELSE EXISTS {
  MATCH (claim:Claim)-[:ABOUT]->(${event}) WHERE claim.property IN ['price', 'currency']
  WITH claim.property AS property, count(DISTINCT toString(claim.value)) AS values
  WHERE values > 1
  RETURN property
} END`;
}

import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { priceDisputed } from '../claim/claim.queries';

// Every aggregation leaves out retired nodes and relationships (src/mutation): they count toward nothing.

/** One transfer corridor as stored: its end compounds, its transfer events in date order and those whose price claims dispute. */
export interface CorridorRow {
  fromId: string;
  toId: string;
  events: Record<string, unknown>[];
  disputedIds: string[];
}

/**
 * Transfer events grouped by origin and destination compound, busiest corridor first, with the ids of those whose
 * price or currency claims dispute ({@link priceDisputed}). `currency` (optional) keeps only transfers priced in it.
 */
export function findTransferCorridors(currency: string | null): Statement {
  return {
    cypher: `MATCH (a:Compound)<-[:FROM]-(e:Event {kind: 'transfer'})-[:TO]->(b:Compound)
WHERE ($currency IS NULL OR e.currency = $currency) AND e.retiredAt IS NULL AND a.retiredAt IS NULL AND b.retiredAt IS NULL
WITH a, b, e, ${priceDisputed('e')} AS disputed ORDER BY e.dateStart, e.id
WITH a, b, collect(${projectNode('e')}) AS events, collect(CASE WHEN disputed THEN e.id END) AS disputedIds
RETURN a.id AS fromId, b.id AS toId, events, disputedIds
ORDER BY size(events) DESC, a.id, b.id`,
    params: { currency },
  };
}

/** A victim with the transfer events they were subject to, in date order. */
export interface RepeatedSaleRow {
  victimId: string;
  events: Record<string, unknown>[];
}

/** Victims who were the `victim` participant of at least `minTransfers` transfers, most transfers first. */
export function findRepeatedlySoldVictims(minTransfers: number): Statement {
  return {
    cypher: `MATCH (e:Event {kind: 'transfer'})-[:INVOLVES {role: 'victim'}]->(v:Person:Victim)
WHERE e.retiredAt IS NULL AND v.retiredAt IS NULL
WITH v, e ORDER BY e.dateStart, e.id
WITH v, collect(${projectNode('e')}) AS events
WHERE size(events) >= $minTransfers
RETURN v.id AS victimId, events
ORDER BY size(events) DESC, v.id`,
    params: { minTransfers },
  };
}

/** A broker with the compounds they serve and the transfers they brokered. */
export interface BrokerReachRow {
  brokerId: string;
  compoundIds: string[];
  events: Record<string, unknown>[];
}

/**
 * People who brokered a transfer or hold the broker role, with the compounds they reach: those they
 * work at as brokers (WORKS_AT, position "broker") and those their brokered transfers touched.
 * Victims are never brokers here.
 */
export function findBrokersAcrossCompounds(minCompounds: number): Statement {
  return {
    cypher: `MATCH (p:Person) WHERE NOT p:Victim AND p.retiredAt IS NULL
  AND ('broker' IN coalesce(p.roles, []) OR EXISTS { (e:Event {kind: 'transfer'})-[:INVOLVES {role: 'broker'}]->(p) WHERE e.retiredAt IS NULL })
CALL (p) {
  OPTIONAL MATCH (p)-[w:WORKS_AT]->(c:Compound)
  WHERE toLower(coalesce(w.position, '')) = 'broker' AND w.retiredAt IS NULL AND c.retiredAt IS NULL
  RETURN collect(DISTINCT c.id) AS worked
}
CALL (p) {
  OPTIONAL MATCH (e:Event {kind: 'transfer'})-[:INVOLVES {role: 'broker'}]->(p) WHERE e.retiredAt IS NULL
  WITH e ORDER BY e.dateStart, e.id
  RETURN collect(${projectNode('e')}) AS events, collect(e.fromCompoundId) + collect(e.toCompoundId) AS touched
}
WITH p, events, reduce(acc = [], id IN worked + touched | CASE WHEN id IS NULL OR id IN acc THEN acc ELSE acc + id END) AS compoundIds
WHERE size(compoundIds) >= $minCompounds
RETURN p.id AS brokerId, compoundIds, events
ORDER BY size(compoundIds) DESC, p.id`,
    params: { minCompounds },
  };
}

/** A raided compound with its raid events in date order. */
export interface RaidedCompoundRow {
  compound: Record<string, unknown>;
  raids: Record<string, unknown>[];
}

/** Compounds with at least one raid (an event of kind raid at the compound) whose stored status is in `statuses`. */
export function findRaidedCompounds(statuses: readonly string[]): Statement {
  return {
    cypher: `MATCH (c:Compound)<-[:AT]-(e:Event {kind: 'raid'})
WHERE c.status IN $statuses AND c.retiredAt IS NULL AND e.retiredAt IS NULL
WITH c, e ORDER BY e.dateStart, e.id
WITH c, collect(${projectNode('e')}) AS raids
RETURN ${projectNode('c')} AS compound, raids
ORDER BY toLower(c.name), c.id`,
    params: { statuses },
  };
}

/** A property of a subject on which claims disagree. */
export interface DisputeRow {
  subjectId: string;
  property: string;
}

/**
 * Subject/property pairs whose claims give more than one value. Claims about victims are left out
 * unless `includeVictims` (investigators), since a claim may state an identity field.
 */
export function findDisputedClaims(subjectId: string | null, includeVictims: boolean): Statement {
  return {
    cypher: `MATCH (c:Claim)-[:ABOUT]->(s:Node)
WHERE ($subjectId IS NULL OR s.id = $subjectId) AND ($includeVictims OR NOT s:Victim) AND s.retiredAt IS NULL
WITH s, c.property AS property, count(DISTINCT toString(c.value)) AS values
WHERE values > 1
RETURN s.id AS subjectId, property
ORDER BY subjectId, property`,
    params: { subjectId, includeVictims },
  };
}

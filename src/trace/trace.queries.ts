import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import type { ChainProjections } from './chainProjection';

/** One event of a victim's chain, with what the chain reads of it, fetched in the same statement. */
export interface VictimEventRow {
  event: Record<string, unknown>;
  /** Its INVOLVES relationships, as `findParticipantsByEventIds` answers them for this event (role, then entity id). */
  participants: { role: string; sources: string[] | null; entity: Record<string, unknown> }[];
  /** The claims about it, as `findClaimsBySubjectIds` answers them for this event (property, then id). */
  claims: Record<string, unknown>[];
  /** The nodes its compound ids and source ids name, where a node has that id (a merged-away id is not here). */
  referenced: { id: string; node: Record<string, unknown> }[];
}

/**
 * The events a victim took part in with role `victim`, in date order (start, then end, then id; undated
 * events last), up to `asOfEnd` when given; and for each, in nested COLLECT subqueries, what the custody
 * chain reads of it: participants, claims, and the compounds and sources it names. The chain is then one
 * statement instead of one for the events and a second wave for what they reference (converted, and for
 * whole records primed into the loaders, by `Loaders.readEventRows`). The hint keeps the unique
 * Person id seek even while the planner's statistics are stale (right after a bulk load it otherwise picks an
 * index scan). Events, participants and referenced nodes are read as `projections` say (whole by default).
 */
export function findVictimEvents(victimId: string, asOfEnd: string | null, projections?: ChainProjections): Statement {
  return {
    cypher: `MATCH (v:Person {id: $id}) USING INDEX SEEK v:Person(id) WHERE v:Victim AND v.retiredAt IS NULL
MATCH (v)<-[:INVOLVES {role: 'victim'}]-(e:Event)
WHERE ($asOfEnd IS NULL OR e.dateStart <= $asOfEnd) AND e.retiredAt IS NULL
WITH e ORDER BY e.dateStart, e.dateEnd, e.id
RETURN ${projectNode('e', projections?.events)} AS event,
  COLLECT { MATCH (e)-[r:INVOLVES]->(x:Node) WITH r, x ORDER BY r.role, x.id RETURN {role: r.role, sources: r.sources, entity: ${projectNode('x', projections?.entities)}} } AS participants,
  COLLECT { MATCH (c:Claim)-[:ABOUT]->(e) WITH c ORDER BY c.property, c.id RETURN c {.*} } AS claims,
  COLLECT {
    UNWIND [ref IN [e.compoundId, e.fromCompoundId, e.toCompoundId] + coalesce(e.sources, []) WHERE ref IS NOT NULL] AS ref
    WITH DISTINCT ref
    MATCH (n:Node {id: ref})
    RETURN {id: ref, node: ${projectNode('n', projections?.referenced)}}
  } AS referenced`,
    params: { id: victimId, asOfEnd },
  };
}

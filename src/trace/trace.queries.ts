import type { Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';

export interface VictimEventRow {
  event: Record<string, unknown>;
}

/**
 * The events a victim took part in with role `victim`, in date order (start, then end, then id; undated
 * events last), up to `asOfEnd` when given. The hint keeps the unique Person id seek even while the planner's
 * statistics are stale (right after a bulk load it otherwise picks an index scan).
 */
export function findVictimEvents(victimId: string, asOfEnd: string | null): Statement {
  return {
    cypher: `MATCH (v:Person {id: $id}) USING INDEX SEEK v:Person(id) WHERE v:Victim AND v.retiredAt IS NULL
MATCH (v)<-[:INVOLVES {role: 'victim'}]-(e:Event)
WHERE ($asOfEnd IS NULL OR e.dateStart <= $asOfEnd) AND e.retiredAt IS NULL
RETURN ${projectNode('e')} AS event
ORDER BY e.dateStart, e.dateEnd, e.id`,
    params: { id: victimId, asOfEnd },
  };
}

import type { Statement } from '../db/executor';
import { int } from '../db/executor';
import { projectNode } from '../node/node.queries';
import type { DateRange } from '../common/partialDate';

export interface TimelineQuery {
  /** Entity ids whose events to list (participants, or compounds where events happened); all events when absent. */
  ids: readonly string[] | null;
  kinds: readonly string[] | null;
  from: DateRange | undefined;
  to: DateRange | undefined;
  /** At most this many rows plus one, so the caller can tell a truncated timeline. */
  first: number;
  victimsVisible: boolean;
}

/**
 * Events in date order (start, end, id; partial dates sort by the first day they cover). With ids, the
 * events those entities took part in or that happened at, from or to those compounds; for the public, ids
 * naming victims match nothing. A period keeps the events whose own period overlaps it.
 */
export function findTimelineEvents(query: TimelineQuery): Statement {
  const where: string[] = ['e.retiredAt IS NULL'];
  if (query.kinds?.length) where.push('e.kind IN $kinds');
  if (query.from) where.push('e.dateEnd >= $from');
  if (query.to) where.push('e.dateStart <= $to');
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const match = query.ids
    ? // Pinned to the id index: on a small or freshly loaded graph the planner may pick a label scan (seen in CI).
      `MATCH (x:Node) USING INDEX SEEK x:Node(id) WHERE x.id IN $ids AND x.retiredAt IS NULL${query.victimsVisible ? '' : ' AND NOT x:Victim'}
MATCH (x)<-[:INVOLVES|AT|FROM|TO]-(e:Event)
WITH DISTINCT e
${filter}`
    : `MATCH (e:Event)
${filter}`;
  return {
    cypher: `${match}
RETURN ${projectNode('e')} AS event
ORDER BY e.dateStart, e.dateEnd, e.id
LIMIT $limit`,
    params: {
      ids: query.ids ?? [],
      kinds: query.kinds ?? [],
      from: query.from?.start ?? null,
      to: query.to?.end ?? null,
      limit: int(query.first + 1),
    },
  };
}

export interface TimelineRow {
  event: Record<string, unknown>;
}

import type { EventRecord } from '../event/event.model';
import { EXIT_KINDS, MOVE_KINDS, type CustodyGapPlan, type CustodyPeriodPlan, type CustodyPlan, type CustodyStepPlan } from './trace.model';

/**
 * Works out a custody chain from a victim's events in date order. Pure: no database, no viewer.
 *
 * A step's location before it is its origin (transfer, transit) or its place (raid, escape...); after it,
 * its destination, its place, or nowhere after an exit. When the victim is next seen at another compound
 * than the one they were held at with no transfer between, that is an UNRECORDED_MOVE gap; a stay whose
 * dates the record does not give is an UNKNOWN_DATES gap.
 *
 *     planCustody(events).gaps // [{ kind: 'UNRECORDED_MOVE', lastKnown: 'compound:a', nextKnown: 'compound:b', ... }]
 */
export function planCustody(events: readonly EventRecord[]): CustodyPlan {
  const steps: CustodyStepPlan[] = [];
  const periods: CustodyPeriodPlan[] = [];
  const gaps: CustodyGapPlan[] = [];
  let held: string | null = null;
  let current: CustodyPeriodPlan | null = null;
  let previous: CustodyStepPlan | null = null;

  const close = (until: string | null, departure: CustodyStepPlan | null): void => {
    if (current) {
      current.until = until;
      current.departure = departure;
      current.open = false;
    }
    current = null;
  };
  const open = (compoundId: string, arrival: CustodyStepPlan | null): void => {
    current = { compoundId, from: arrival?.event.date ?? null, until: null, arrival, departure: null, open: true };
    periods.push(current);
  };

  events.forEach((event, i) => {
    const isMove = MOVE_KINDS.has(event.kind);
    const isExit = EXIT_KINDS.has(event.kind);
    const before = (isMove ? event.fromCompoundId : event.compoundId) ?? null;
    const place = isMove ? (event.toCompoundId ?? null) : (event.compoundId ?? null);
    const step: CustodyStepPlan = { index: i + 1, event, before, heldAfter: null, isExit };
    const next = before ?? (isMove ? place : null);

    if (next && held && next !== held) {
      gaps.push({
        kind: 'UNRECORDED_MOVE',
        lastKnown: held,
        nextKnown: next,
        after: previous,
        before: step,
        from: previous?.event.dateEnd ?? null,
        until: event.date ?? null,
        description: `Last known at ${held}${previous?.event.date ? ` after ${previous.event.date}` : ''}; next known at ${next}${event.date ? ` on ${event.date}` : ''}; no recorded transfer between them.`,
      });
      close(null, null);
      held = null;
    }
    if (before && held !== before) {
      // Known to be there without a recorded arrival.
      open(before, null);
      held = before;
      if (!gaps.some((g) => g.before === step)) {
        gaps.push({
          kind: 'UNKNOWN_DATES',
          lastKnown: null,
          nextKnown: before,
          after: previous,
          before: step,
          from: null,
          until: event.date ?? null,
          description: `First known at ${before}${event.date ? ` on ${event.date}` : ''}; the arrival is not recorded.`,
        });
      }
    }
    const after = isExit ? null : (place ?? held);
    if (after !== held) {
      if (held) close(event.date ?? null, step);
      if (after) open(after, step);
      if ((held || after) && !event.date) {
        gaps.push({
          kind: 'UNKNOWN_DATES',
          lastKnown: held,
          nextKnown: after,
          after: previous,
          before: step,
          from: previous?.event.dateEnd ?? null,
          until: null,
          description: `The ${event.kind} ${event.id} that ${after ? 'begins' : 'ends'} a stay has no date.`,
        });
      }
      held = after;
    }
    step.heldAfter = held;
    steps.push(step);
    previous = step;
  });
  return { steps, periods, gaps, heldAt: held };
}

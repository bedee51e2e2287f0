import type { EventRecord } from '../event/event.model';

/** Event kinds after which the victim is no longer held. */
export const EXIT_KINDS: ReadonlySet<string> = new Set(['escape', 'release', 'rescue', 'repatriation']);

/** Event kinds that move a victim from one compound to another. */
export const MOVE_KINDS: ReadonlySet<string> = new Set(['transfer', 'transit']);

/** One step with where the victim was before and after it (compound ids). */
export interface CustodyStepPlan {
  index: number;
  event: EventRecord;
  /** Where the victim was at the start of the step, when the step says. */
  before: string | null;
  /** Where the victim was held after the step. */
  heldAfter: string | null;
  isExit: boolean;
}

export interface CustodyPeriodPlan {
  compoundId: string;
  from: string | null;
  until: string | null;
  arrival: CustodyStepPlan | null;
  departure: CustodyStepPlan | null;
  open: boolean;
}

export interface CustodyGapPlan {
  kind: 'UNRECORDED_MOVE' | 'UNKNOWN_DATES';
  lastKnown: string | null;
  nextKnown: string | null;
  after: CustodyStepPlan | null;
  before: CustodyStepPlan | null;
  from: string | null;
  until: string | null;
  description: string;
}

/** The chain worked out from the events alone: steps, stays, gaps and where the victim is at the end. */
export interface CustodyPlan {
  steps: CustodyStepPlan[];
  periods: CustodyPeriodPlan[];
  gaps: CustodyGapPlan[];
  heldAt: string | null;
}

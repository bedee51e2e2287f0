import type { BaseRecord, EntityFields } from '../node/node.model';
import type { EventRecord } from '../event/event.model';

/** A :Compound node as stored. */
export interface CompoundRecord extends BaseRecord, EntityFields {
  label: 'Compound';
  country?: string;
  region?: string;
  city?: string;
  location?: { x: number; y: number };
  status?: string;
  securityFeatures?: string[];
  estimatedHeadcount?: number;
  description?: string;
}

/** One dated status of a compound, derived from a status_change or raid event. */
export interface StatusPeriodRecord {
  status: string;
  from: string | null;
  until: string | null;
  event: EventRecord;
}

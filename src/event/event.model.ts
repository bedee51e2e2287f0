import type { BaseRecord, EntityRecord } from '../node/node.model';

/** An :Event node as stored. Compound ids are kept as properties too, for one-hop resolution. */
export interface EventRecord extends BaseRecord {
  label: 'Event';
  kind: string;
  date?: string;
  dateStart?: string;
  dateEnd?: string;
  endDate?: string;
  title: string;
  description?: string;
  country?: string;
  place?: string;
  compoundId?: string;
  fromCompoundId?: string;
  toCompoundId?: string;
  price?: number;
  currency?: string;
  channel?: string;
  status?: string;
}

/** An entity's part in an event, seen from the entity. */
export interface ParticipationRecord {
  role: string;
  event: EventRecord;
}

/** One participant of an event, seen from the event. */
export interface ParticipantRecord {
  role: string;
  entity: EntityRecord;
  sources: string[];
}

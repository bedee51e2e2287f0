import type { NodeLabel } from '../common/ids';
import type { PersonRecord } from '../person/person.model';
import type { CompoundRecord } from '../compound/compound.model';
import type { OrganisationRecord } from '../organisation/organisation.model';
import type { EventRecord } from '../event/event.model';
import type { SourceRecord } from '../source/source.model';

/** Properties every stored node has. `sources` holds the ids of the sources that cite it. */
export interface BaseRecord {
  id: string;
  label: NodeLabel;
  dataset: string;
  synthetic: boolean;
  sources: string[];
  /** True when the node also carries the :Victim label. */
  victim: boolean;
}

export interface EntityFields {
  name: string;
  aliases?: string[];
}

/** Any node with a global id, as the database stores it; narrowed by `label`. */
export type NodeRecord =
  | PersonRecord
  | CompoundRecord
  | OrganisationRecord
  | EventRecord
  | SourceRecord;

export type EntityRecord =
  | PersonRecord
  | CompoundRecord
  | OrganisationRecord;

export const ENTITY_LABELS = ['Person', 'Compound', 'Organisation'] as const;
export const NODE_LABELS = ['Person', 'Compound', 'Organisation', 'Event', 'Source'] as const;

export function isEntityRecord(record: NodeRecord): record is EntityRecord {
  return (ENTITY_LABELS as readonly string[]).includes(record.label);
}

import type { NodeLabel } from '../common/ids';

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
  | import('../person/person.model').PersonRecord
  | import('../compound/compound.model').CompoundRecord
  | import('../organisation/organisation.model').OrganisationRecord
  | import('../event/event.model').EventRecord
  | import('../source/source.model').SourceRecord;

export type EntityRecord =
  | import('../person/person.model').PersonRecord
  | import('../compound/compound.model').CompoundRecord
  | import('../organisation/organisation.model').OrganisationRecord;

export const ENTITY_LABELS = ['Person', 'Compound', 'Organisation'] as const;
export const NODE_LABELS = ['Person', 'Compound', 'Organisation', 'Event', 'Source'] as const;

export function isEntityRecord(record: NodeRecord): record is EntityRecord {
  return (ENTITY_LABELS as readonly string[]).includes(record.label);
}

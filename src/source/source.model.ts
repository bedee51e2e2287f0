import type { BaseRecord } from '../node/node.model';

/** A :Source node as stored. Its own `sources` list is empty. */
export interface SourceRecord extends BaseRecord {
  label: 'Source';
  title: string;
  publisher?: string;
  url?: string;
  published?: string;
  retrieved?: string;
  reliability: string;
  kind: string;
  notes?: string;
}

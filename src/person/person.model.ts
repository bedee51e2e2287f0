import type { BaseRecord, EntityFields } from '../node/node.model';

/** A :Person node as stored. Identity fields of victims are masked by the resolvers, never here. */
export interface PersonRecord extends BaseRecord, EntityFields {
  label: 'Person';
  roles?: string[];
  nationality?: string[];
  gender?: string;
  birthDate?: string;
  ageBand?: string;
  position?: string;
  description?: string;
  topics?: string[];
}

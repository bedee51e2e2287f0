import type { BaseRecord, EntityFields } from '../node/node.model';

/** An :Organisation node as stored. */
export interface OrganisationRecord extends BaseRecord, EntityFields {
  label: 'Organisation';
  kind: string;
  country?: string[];
  address?: string;
  description?: string;
  topics?: string[];
}

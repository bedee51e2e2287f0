import type { EntityRecord } from '../node/node.model';

/** The closed set of relationship types between entities; the only ones Cypher may name. */
export const RELATION_TYPES = [
  'LEADS',
  'MEMBER_OF',
  'EMPLOYED_BY',
  'PART_OF',
  'OWNS',
  'AFFILIATED_WITH',
  'OPERATES',
  'PROTECTS',
  'WORKS_AT',
  'ASSOCIATE_OF',
  'FAMILY_OF',
  'RELOCATED_TO',
] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

/** A relationship seen from one end: `outgoing` when that end is its start node. */
export interface RelationRecord {
  id: string;
  type: RelationType;
  outgoing: boolean;
  start?: string;
  end?: string;
  startFrom?: string;
  endTo?: string;
  position?: string;
  sources: string[];
  other: EntityRecord;
}

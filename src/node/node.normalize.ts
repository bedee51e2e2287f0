import type { NodeRecord } from './node.model';
import type { ClaimRecord } from '../claim/claim.model';

/**
 * Fills list and flag defaults on a projected node (Neo4j stores no empty lists or nulls), in place:
 * rows are fresh objects from the driver, and copying each one cost more than anything else done with it.
 */
export function toNodeRecord(raw: Record<string, unknown>): NodeRecord {
  raw.sources ??= [];
  raw.synthetic = raw.synthetic === true;
  raw.victim = raw.victim === true;
  raw.dataset ??= 'import';
  return raw as unknown as NodeRecord;
}

/** A claim row with its value as text and `disputed` left for the loader to compute. */
export function toClaimRecord(raw: Record<string, unknown>): ClaimRecord {
  return {
    id: String(raw.id),
    subject: String(raw.subject),
    property: String(raw.property),
    value: String(raw.value),
    ...(raw.note ? { note: String(raw.note) } : {}),
    sources: (raw.sources as string[] | undefined) ?? [],
    disputed: false,
  };
}

import type { Executor, Statement } from '../db/executor';
import type { Viewer } from './viewer';

/** Appends one audit entry: who read which victims' identities, when, in which operation. Never updated. */
export function appendAuditEntry(entry: {
  at: string;
  keyId: string | null;
  role: string;
  victimIds: string[];
  operation: string;
  requestId: string;
}): Statement {
  return {
    cypher: `CREATE (a:AuditEntry {at: $at, keyId: $keyId, role: $role, victimIds: $victimIds, operation: $operation, requestId: $requestId})`,
    params: entry,
  };
}

/** Records that `viewer` saw the identities of `victimIds`. */
export async function recordIdentityReads(
  executor: Executor,
  viewer: Viewer,
  victimIds: Iterable<string>,
  operation: string,
  requestId: string,
): Promise<void> {
  const ids = [...new Set(victimIds)].sort();
  if (ids.length === 0) return;
  await executor.write(
    appendAuditEntry({ at: new Date().toISOString(), keyId: viewer.keyId, role: viewer.role, victimIds: ids, operation, requestId }),
  );
}

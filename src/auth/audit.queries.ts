import { int, type Statement } from '../db/executor';
import type { Page } from '../common/pagination';

/** One stored audit entry, as the audit log query returns it. */
export interface AuditEntryRecord {
  at: string;
  role: string;
  keyId: string | null;
  victimIds: string[];
  operation: string;
  requestId: string;
}

export interface AuditPageRow {
  total: number;
  entries: AuditEntryRecord[];
}

/** One page of the audit log, newest first, with the total number of entries. */
export function listAuditEntries(page: Page): Statement {
  return {
    cypher: `CALL () { MATCH (a:AuditEntry) RETURN count(a) AS total }
CALL () {
  MATCH (a:AuditEntry)
  WITH a ORDER BY a.at DESC, a.requestId
  SKIP $offset LIMIT $limit
  RETURN collect(a {.at, .role, .keyId, .victimIds, .operation, .requestId}) AS entries
}
RETURN total, entries`,
    params: { offset: int(page.offset), limit: int(page.first) },
  };
}

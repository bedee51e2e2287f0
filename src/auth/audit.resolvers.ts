import type { GraphContext } from '../context';
import type { AuditEntryResolvers, QueryResolvers, Role } from '../generated/graphql';
import { readPage, toConnection } from '../common/pagination';
import { listAuditEntries, type AuditEntryRecord, type AuditPageRow } from './audit.queries';

/** `auditLog`: admins only, by the `@auth` directive on the field (schema/auth.graphql). */
export const auditQueryResolvers: Pick<QueryResolvers<GraphContext>, 'auditLog'> = {
  auditLog: async (_root, args, context) => {
    const page = readPage(args.first, args.after);
    const [row] = await context.executor.read<AuditPageRow>(listAuditEntries(page));
    return toConnection(row?.entries ?? [], page, row?.total ?? 0);
  },
};

export const auditEntryResolvers: AuditEntryResolvers<GraphContext, AuditEntryRecord> = {
  role: (entry) => entry.role.toUpperCase() as Role,
  keyId: (entry) => entry.keyId ?? null,
  victimIds: (entry) => entry.victimIds ?? [],
};

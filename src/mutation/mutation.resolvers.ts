import type { GraphContext } from '../context';
import type { Change, MutationResolvers, QueryResolvers, Role } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { BadUserInputError } from '../errors';
import { findChangesByEntityId } from './mutation.queries';
import {
  createEntity,
  createRelationship,
  importRecordBatch,
  retireEntity,
  retireRelationshipById,
  toChangeRecord,
  updateEntity,
  updateRelationship,
  type ChangeRecord,
} from './mutations';

/** A change in its GraphQL shape (roles are upper-case enum values). */
export function toChange(record: ChangeRecord): Change {
  return { ...record, role: record.role.toUpperCase() as Role };
}

/** The write mutations: investigators and up, by the default `@auth` policy of Mutation fields. */
export const mutationResolvers: Pick<
  MutationResolvers<GraphContext>,
  'createEntity' | 'updateEntity' | 'retireEntity' | 'createRelationship' | 'updateRelationship' | 'retireRelationship' | 'importRecords'
> = {
  createEntity: async (_root, args, context) => toChange(await createEntity(context.executor, context.viewer, args.kind, args.input)),
  updateEntity: async (_root, args, context) => {
    parseGlobalId(args.id, 'id');
    return toChange(await updateEntity(context.executor, context.viewer, args.id, args.patch));
  },
  retireEntity: async (_root, args, context) => {
    parseGlobalId(args.id, 'id');
    return toChange(await retireEntity(context.executor, context.viewer, args.id, args.reason ?? null));
  },
  createRelationship: async (_root, args, context) => toChange(await createRelationship(context.executor, context.viewer, args.input)),
  updateRelationship: async (_root, args, context) => toChange(await updateRelationship(context.executor, context.viewer, args.id, args.patch)),
  retireRelationship: async (_root, args, context) =>
    toChange(await retireRelationshipById(context.executor, context.viewer, args.id, args.reason ?? null)),
  importRecords: async (_root, args, context) => {
    if (args.source) parseGlobalId(args.source, 'source');
    const result = await importRecordBatch(context.executor, context.viewer, args.records, args.source ?? null);
    return { written: result.written, change: toChange(result.change) };
  },
};

/** `changes`: admins only, by the `@auth` directive on the field. */
export const changeQueryResolvers: Pick<QueryResolvers<GraphContext>, 'changes'> = {
  changes: async (_root, args, context) => {
    const first = args.first ?? 20;
    if (first < 1 || first > 500) throw new BadUserInputError('first: must be between 1 and 500', 'first');
    const rows = await context.executor.read<{ change: Record<string, unknown> }>(findChangesByEntityId(args.entityId, first));
    return rows.map((row) => toChange(toChangeRecord(row.change)));
  },
};

import type { GraphContext } from '../context';
import type { Judgement, Merge, MutationResolvers, QueryResolvers, Role } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { BadUserInputError } from '../errors';
import type { EntityRecord } from '../node/node.model';
import { findCandidates, judgePair, mergeEntities, unmergeEntities, type MergeRecord } from './resolution';
import type { JudgementRow, ResolvableLabel } from './resolution.queries';

const LABELS: Record<'PERSON' | 'ORGANISATION' | 'COMPOUND', ResolvableLabel> = {
  PERSON: 'Person',
  ORGANISATION: 'Organisation',
  COMPOUND: 'Compound',
};

function toJudgement(row: JudgementRow): Judgement {
  return { ...row, role: row.role.toUpperCase() as Role };
}

function toMerge(row: MergeRecord): Merge {
  return { ...row, role: row.role.toUpperCase() as Role, keyId: row.keyId ?? null, undoneAt: row.undoneAt ?? null };
}

/** `resolutionCandidates`: journalists and up; victims are left out below investigator (src/resolution/resolution.ts). */
export const resolutionQueryResolvers: Pick<QueryResolvers<GraphContext>, 'resolutionCandidates'> = {
  resolutionCandidates: async (_root, args, context) => {
    const first = args.first ?? 20;
    if (first < 1 || first > 200) throw new BadUserInputError('first: must be between 1 and 200', 'first');
    const candidates = await findCandidates(context.executor, context.viewer, LABELS[args.type], first);
    return candidates.map((c) => ({ ...c, a: c.a as EntityRecord, b: c.b as EntityRecord }));
  },
};

/** `judge`, `merge`, `unmerge`: investigators and up, by the default `@auth` policy of Mutation fields. */
export const resolutionMutationResolvers: Pick<MutationResolvers<GraphContext>, 'judge' | 'merge' | 'unmerge'> = {
  judge: async (_root, args, context) => {
    parseGlobalId(args.a, 'a');
    parseGlobalId(args.b, 'b');
    return toJudgement(await judgePair(context.executor, context.viewer, args.a, args.b, args.judgement, args.reason));
  },
  merge: async (_root, args, context) => {
    parseGlobalId(args.keep, 'keep');
    parseGlobalId(args.merge, 'merge');
    return toMerge(await mergeEntities(context.executor, context.viewer, args.keep, args.merge, args.reason));
  },
  unmerge: async (_root, args, context) => toMerge(await unmergeEntities(context.executor, context.viewer, args.mergeId)),
};

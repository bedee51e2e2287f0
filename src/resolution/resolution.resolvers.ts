import type { GraphContext } from '../context';
import type { Judgement, MergeResolvers, MutationResolvers, QueryResolvers, Role } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { BadUserInputError } from '../errors';
import { canSeeVictimIdentity } from '../auth/viewer';
import type { EntityRecord } from '../node/node.model';
import { findCandidates, judgePair, mergeEntities, unmergeEntities } from './resolution';
import type { JudgementRow, ResolvableLabel } from './resolution.queries';

const LABELS: Record<'PERSON' | 'ORGANISATION' | 'COMPOUND', ResolvableLabel> = {
  PERSON: 'Person',
  ORGANISATION: 'Organisation',
  COMPOUND: 'Compound',
};

function toJudgement(row: JudgementRow): Judgement {
  return { ...row, role: row.role.toUpperCase() as Role };
}

/** A merge record as the API shows it (the mutations that return one are for investigators and up). */
export const mergeResolvers: MergeResolvers<GraphContext> = {
  role: (row) => row.role.toUpperCase() as Role,
  keyId: (row) => row.keyId ?? null,
  undoneAt: (row) => row.undoneAt ?? null,
  // The claims it recorded that are still there: all of them while the merge stands, none once it is undone. Claims about
  // a victim restate identity fields, as `Person.claims` does, under the same rule: for those who may see a victim's
  // identity alone, and each such read noted for the audit log.
  claims: async (row, _args, context) => {
    const made = new Set(row.madeClaimIds ?? []);
    if (made.size === 0) return [];
    const victim = row.keptLabels.includes('Victim') || row.mergedLabels.includes('Victim');
    if (victim && !canSeeVictimIdentity(context.viewer)) return [];
    const claims = (await context.loaders.claims.load(row.keptId)).filter((claim) => made.has(claim.id));
    if (victim && claims.length > 0) context.identityReads.add(row.keptId);
    return claims;
  },
};

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
    const merge = await mergeEntities(context.executor, context.viewer, args.keep, args.merge, args.reason);
    // Claims read earlier in the same document are stale now.
    context.loaders.claims.clearAll();
    return merge;
  },
  unmerge: async (_root, args, context) => {
    const merge = await unmergeEntities(context.executor, context.viewer, args.mergeId);
    context.loaders.claims.clearAll();
    return merge;
  },
};

import type { GraphContext } from '../context';
import type { ClaimResolvers } from '../generated/graphql';
import { sourcesOf } from '../common/entityResolvers';

export const claimResolvers: ClaimResolvers<GraphContext> = {
  note: (c) => c.note ?? null,
  sources: (c, _a, context) => sourcesOf(c.sources, context),
};

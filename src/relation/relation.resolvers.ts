import type { GraphContext } from '../context';
import type { RelationResolvers } from '../generated/graphql';
import { sourcesOf } from '../common/entityResolvers';

export const relationResolvers: RelationResolvers<GraphContext> = {
  direction: (r) => (r.outgoing ? 'OUTGOING' : 'INCOMING'),
  start: (r) => r.start ?? null,
  end: (r) => r.end ?? null,
  position: (r) => r.position ?? null,
  sources: (r, _a, context) => sourcesOf(r.sources, context),
};

import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { traceQueryResolvers } from '../trace/trace.resolvers';
import { flowsQueryResolvers } from '../flows/flows.resolvers';
import { pathsQueryResolvers } from '../paths/paths.resolvers';
import { networkQueryResolvers } from './network.resolvers';
import { timelineQueryResolvers } from '../timeline/timeline.resolvers';

/** The root fields of schema/traversal.graphql: traceVictim, compoundFlows, paths, network, timeline. */
export const traversalQueryResolvers: Pick<QueryResolvers<GraphContext>, 'traceVictim' | 'compoundFlows' | 'paths' | 'network' | 'timeline'> = {
  ...traceQueryResolvers,
  ...flowsQueryResolvers,
  ...pathsQueryResolvers,
  ...networkQueryResolvers,
  ...timelineQueryResolvers,
};

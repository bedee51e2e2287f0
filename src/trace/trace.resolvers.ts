import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { traceVictimChain } from './trace';

export const traceQueryResolvers: Pick<QueryResolvers<GraphContext>, 'traceVictim'> = {
  traceVictim: (_root, args, context, info) => traceVictimChain(args.id, args.asOf, context, info),
};

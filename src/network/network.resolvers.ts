import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import type { SliceViewer } from './graphSlice';
import { buildNetworkSlice } from './network';

/** The masking inputs of a slice, taken from the request context. */
export function sliceViewerOf(context: GraphContext): SliceViewer {
  return { viewer: context.viewer, pseudonymSecret: context.config.pseudonymSecret, identityReads: context.identityReads };
}

export const networkQueryResolvers: Pick<QueryResolvers<GraphContext>, 'network'> = {
  network: (_root, args, context) => buildNetworkSlice(context.executor, args, sliceViewerOf(context)),
};

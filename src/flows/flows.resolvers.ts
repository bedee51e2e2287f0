import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { parseDatePeriod } from '../common/partialDate';
import { BadUserInputError, ForbiddenError } from '../errors';
import { canSeeVictims } from '../auth/viewer';
import { toNodeRecord } from '../node/node.normalize';
import { boundedInt, TRAVERSAL_LIMITS } from '../network/limits';
import { buildSlice, toGraphNode } from '../network/graphSlice';
import type { GraphEdgeRecord, GraphNodeRecord } from '../network/graphSlice.model';
import { sliceViewerOf } from '../network/network.resolvers';
import { findCompoundFlows, type FlowRow, type FlowsResult } from './flows.queries';

/** Edge type of an aggregated compound-to-compound flow. */
export const FLOW_EDGE_TYPE = 'TRANSFER_FLOW';

/**
 * A flow row as a slice edge carrying count, prices per currency, first/last date, the event ids and the disputed ones,
 * and `sources`, the sources its transfers cite (where every other slice edge carries its own).
 */
function toFlowEdge(row: FlowRow): GraphEdgeRecord {
  const source = row.origin;
  const target = row.destination;
  return {
    id: `flow:${source}->${target}`,
    source,
    target,
    type: FLOW_EDGE_TYPE,
    label: `${row.count} transfer${row.count === 1 ? '' : 's'}`,
    properties: {
      count: row.count,
      prices: row.prices,
      firstDate: row.firstDate,
      lastDate: row.lastDate,
      events: row.events,
      disputedEvents: row.disputedEvents,
      sources: row.sources,
    },
  };
}

export const flowsQueryResolvers: Pick<QueryResolvers<GraphContext>, 'compoundFlows'> = {
  compoundFlows: async (_root, args, context) => {
    const filter = args.filter ?? {};
    const minCount = boundedInt(filter.minCount, 'filter.minCount', 1, 1_000_000, 1);
    const hops = boundedInt(filter.hops, 'filter.hops', 1, TRAVERSAL_LIMITS.flowHops.max, TRAVERSAL_LIMITS.flowHops.default);
    const limit = boundedInt(args.limit, 'limit', 1, TRAVERSAL_LIMITS.flows.max, TRAVERSAL_LIMITS.flows.default);
    if (filter.fromCompound) {
      if (parseGlobalId(filter.fromCompound, 'filter.fromCompound').label !== 'Compound') {
        throw new BadUserInputError('Argument "filter.fromCompound" must be a compound id.', 'filter.fromCompound');
      }
      // Beyond one hop the onward view follows each victim from transfer to transfer, and its edges name the events: one
      // victim's custody chain, which the public does not see (traceVictim answers it null).
      if (hops > 1 && !canSeeVictims(context.viewer)) {
        throw new ForbiddenError('Argument "filter.hops" above 1 follows individual victims from transfer to transfer, as a custody chain does: it needs a journalist key or stronger.');
      }
    }
    const [result] = await context.executor.read<FlowsResult>(
      findCompoundFlows({
        countries: filter.countries?.map((c) => c.toLowerCase()) ?? null,
        ...parseDatePeriod(filter.from, filter.to, 'filter.from', 'filter.to'),
        minCount,
        onward: filter.fromCompound ? { compoundId: filter.fromCompound, hops } : null,
        limit,
      }),
    );
    const nodes: GraphNodeRecord[] = [];
    for (const raw of result?.compounds ?? []) {
      const node = toGraphNode(toNodeRecord(raw), sliceViewerOf(context));
      if (node) nodes.push(node);
    }
    nodes.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return buildSlice(nodes, (result?.flows ?? []).map(toFlowEdge), result?.truncated ?? false);
  },
};

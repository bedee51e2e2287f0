import type { Executor } from '../db/executor';
import { canSeeVictims } from '../auth/viewer';
import { parseGlobalIds } from '../common/ids';
import { parseDateArgument } from '../common/partialDate';
import { BadUserInputError } from '../errors';
import { toNodeRecord } from '../node/node.normalize';
import { RELATION_TYPES, type RelationType } from '../relation/relation.model';
import { boundedInt, TRAVERSAL_LIMITS } from './limits';
import { buildSlice, maskedVictimIds, maskVictimEdge, toGraphEdge, toGraphNode, type EdgeRow, type SliceViewer } from './graphSlice';
import type { GraphSliceRecord } from './graphSlice.model';
import { findEdgesAmong, findNeighbourhood, type NeighbourRow, type TraversalScope } from './network.queries';

/** The arguments of `network` and `/export/network`, as received. */
export interface NetworkArgs {
  ids: readonly string[];
  depth?: number | null;
  limit?: number | null;
  asOf?: string | null;
  relationTypes?: readonly string[] | null;
  includeEvents?: boolean | null;
}

/** Relation types of an argument, defaulting to all; BAD_USER_INPUT naming `argument` for an unknown one. */
export function parseRelationTypes(types: readonly string[] | null | undefined, argument: string): RelationType[] {
  if (!types?.length) return [...RELATION_TYPES];
  for (const type of types) {
    if (!(RELATION_TYPES as readonly string[]).includes(type)) {
      throw new BadUserInputError(`Argument "${argument}" has an unknown relationship type "${type}".`, argument);
    }
  }
  return [...new Set(types)] as RelationType[];
}

/**
 * The neighbourhood of `ids` as a graph slice, masked for the viewer: two statements, one breadth-first
 * walk for the nodes (nearest first, cut at `limit`) and one for every edge among them.
 *
 *     const slice = await buildNetworkSlice(executor, { ids: ['compound:demo-jade-harbour'], depth: 1 }, sliceViewer);
 */
export async function buildNetworkSlice(executor: Executor, args: NetworkArgs, slice: SliceViewer): Promise<GraphSliceRecord> {
  if (args.ids.length === 0) throw new BadUserInputError('Argument "ids" must name at least one entity.', 'ids');
  if (args.ids.length > TRAVERSAL_LIMITS.ids.max) {
    throw new BadUserInputError(`Argument "ids" may name at most ${TRAVERSAL_LIMITS.ids.max} entities.`, 'ids');
  }
  const ids = parseGlobalIds(args.ids, 'ids');
  const depth = boundedInt(args.depth, 'depth', 0, TRAVERSAL_LIMITS.depth.max, TRAVERSAL_LIMITS.depth.default);
  const limit = boundedInt(args.limit, 'limit', 1, TRAVERSAL_LIMITS.nodes.max, TRAVERSAL_LIMITS.nodes.default);
  const scope: TraversalScope = {
    relationTypes: parseRelationTypes(args.relationTypes, 'relationTypes'),
    includeEvents: args.includeEvents === true,
    victimsVisible: canSeeVictims(slice.viewer),
    asOf: parseDateArgument(args.asOf, 'asOf'),
  };
  const rows = await executor.read<NeighbourRow>(findNeighbourhood(ids, depth, limit, scope));
  const truncated = rows.length > limit;
  const nodes = rows
    .slice(0, limit)
    .map((row) => toGraphNode(toNodeRecord(row.node), slice))
    .filter((n) => n !== null);
  if (nodes.length === 0) return buildSlice([], [], truncated);
  const edges = await executor.read<EdgeRow>(findEdgesAmong(nodes.map((n) => n.id), scope));
  const masked = maskedVictimIds(nodes, slice.viewer);
  return buildSlice(nodes, edges.map((edge) => maskVictimEdge(toGraphEdge(edge), masked)), truncated);
}

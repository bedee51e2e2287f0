import type { GraphContext } from '../context';
import type { PathDirection, QueryResolvers, ResolversTypes } from '../generated/graphql';
import { canSeeVictims } from '../auth/viewer';
import { parseGlobalId } from '../common/ids';
import { parseDateArgument } from '../common/partialDate';
import { sourcesOf } from '../common/entityResolvers';
import { selectsField } from '../common/lookahead';
import { toNodeRecord } from '../node/node.normalize';
import { boundedInt, TRAVERSAL_LIMITS } from '../network/limits';
import { maskedVictimIds, toGraphNode } from '../network/graphSlice';
import { MASKED_VICTIM_ROLES } from '../person/victimIdentity';
import type { GraphNodeRecord } from '../network/graphSlice.model';
import { parseRelationTypes } from '../network/network';
import { sliceViewerOf } from '../network/network.resolvers';
import { findShortestPaths, type PathRow } from './paths.queries';

type PathResult = Awaited<ResolversTypes['Path']>;

/** A path row as a Path: nodes masked, each hop with its direction, dates and sources. Null when a node is hidden. */
async function toPath(row: PathRow, context: GraphContext, withSources: boolean): Promise<PathResult | null> {
  const nodes = row.nodes.map((raw) => toGraphNode(toNodeRecord(raw), sliceViewerOf(context)));
  if (nodes.some((n) => n === null)) return null;
  const shown = nodes as GraphNodeRecord[];
  // At a victim the viewer may not identify, a hop shows what an edge of a slice shows (maskVictimEdge): role `victim`, no position.
  const masked = maskedVictimIds(shown, context.viewer);
  const hops = await Promise.all(
    row.rels.map(async (rel, i) => {
      const from = shown[i]!;
      const to = shown[i + 1]!;
      const props = rel.props;
      // AT/FROM/TO links carry no sources of their own: the event's sources cite them.
      const eventEnd = [from, to].find((n) => n.type === 'EVENT');
      const sourceIds = (props.sources as string[] | undefined) ?? ((eventEnd?.properties.sources as string[] | undefined) ?? []);
      const atMaskedVictim = masked.has(from.id) || masked.has(to.id);
      return {
        from,
        to,
        type: rel.type,
        direction: (rel.source === from.id ? 'FORWARD' : 'BACKWARD') as PathDirection,
        relationId: rel.id ?? `${rel.source}|${rel.type}|${rel.target}`,
        start: (props.start as string | undefined) ?? null,
        end: (props.end as string | undefined) ?? null,
        position: atMaskedVictim ? null : ((props.position as string | undefined) ?? null),
        role: typeof props.role === 'string' ? (atMaskedVictim ? MASKED_VICTIM_ROLES[0]! : props.role) : null,
        sources: withSources ? await sourcesOf(sourceIds, context) : [],
      };
    }),
  );
  return { length: hops.length, nodes: shown, hops };
}

/** Sort key of a path: length, then the ids along it, so equal questions give equal answers. */
const pathKey = (row: PathRow): string => `${String(row.rels.length).padStart(3, '0')}|${row.nodes.map((n) => String(n.id)).join('|')}`;

export const pathsQueryResolvers: Pick<QueryResolvers<GraphContext>, 'paths'> = {
  paths: async (_root, args, context, info) => {
    parseGlobalId(args.from, 'from');
    parseGlobalId(args.to, 'to');
    const maxHops = boundedInt(args.maxHops, 'maxHops', 1, TRAVERSAL_LIMITS.maxHops.max, TRAVERSAL_LIMITS.maxHops.default);
    const first = boundedInt(args.first, 'first', 1, TRAVERSAL_LIMITS.paths.max, TRAVERSAL_LIMITS.paths.default);
    const scope = {
      relationTypes: parseRelationTypes(args.relationTypes, 'relationTypes'),
      includeEvents: args.includeEvents === true,
      victimsVisible: canSeeVictims(context.viewer),
      asOf: parseDateArgument(args.asOf, 'asOf'),
    };
    if (args.from === args.to) return [];
    const rows = await context.executor.read<PathRow>(findShortestPaths(args.from, args.to, first, maxHops, scope));
    rows.sort((a, b) => pathKey(a).localeCompare(pathKey(b)));
    // The hops' sources are a second statement: only sent when `hops { sources }` is selected.
    const withSources = selectsField(info, ['hops', 'sources']);
    const paths = await Promise.all(rows.map((row) => toPath(row, context, withSources)));
    return paths.filter((p): p is PathResult => p !== null);
  },
};

import type { GraphContext } from '../context';
import type { Dataset, QueryResolvers, SourceKind, SourceResolvers } from '../generated/graphql';
import { canSeeVictims } from '../auth/viewer';
import { toEnum } from '../common/entityResolvers';
import { parseDatePeriod } from '../common/partialDate';
import { readPage } from '../common/pagination';
import { listConnection, type ListRow } from '../common/listQuery';
import { BadUserInputError } from '../errors';
import { toNodeRecord } from '../node/node.normalize';
import type { NodeRecord } from '../node/node.model';
import type { SourceRecord } from './source.model';
import { findNodesSupportedBySource, listSources, type SupportedRow } from './source.queries';

export const sourceResolvers: SourceResolvers<GraphContext> = {
  publisher: (s) => s.publisher ?? null,
  url: (s) => s.url ?? null,
  published: (s) => s.published ?? null,
  retrieved: (s) => s.retrieved ?? null,
  kind: (s) => toEnum<SourceKind>(s.kind),
  notes: (s) => s.notes ?? null,
  dataset: (s) => toEnum<Dataset>(s.dataset),
  synthetic: (s) => s.synthetic,
  citationCount: (s, _a, context) => context.loaders.citationCount.load(s.id),
  supports: async (s, args, context) => {
    const limit = args.first ?? 50;
    if (!Number.isInteger(limit) || limit < 0 || limit > 500) throw new BadUserInputError('Argument "first" must be between 0 and 500.', 'first');
    const rows = await context.executor.read<SupportedRow>(findNodesSupportedBySource(s.id, limit, !canSeeVictims(context.viewer)));
    return rows.map((row) => toNodeRecord(row.node) as NodeRecord);
  },
};

export const sourceQueryResolvers: Pick<QueryResolvers<GraphContext>, 'sources'> = {
  sources: async (_root, args, context, info) => {
    const page = readPage(args.first, args.after, info, 'Source');
    const range = parseDatePeriod(args.filter?.publishedFrom, args.filter?.publishedTo, 'filter.publishedFrom', 'filter.publishedTo');
    const [row] = await context.executor.read<ListRow>(listSources(args.filter, args.orderBy, page, range));
    return listConnection<SourceRecord>(row, page, context.loaders);
  },
};

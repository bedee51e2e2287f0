import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { canSeeVictimIdentity } from '../auth/viewer';
import { ID_PREFIXES } from '../common/ids';
import { readPage, toConnection } from '../common/pagination';
import { projectionAt } from '../common/projection';
import { BadUserInputError } from '../errors';
import { toNodeRecord } from '../node/node.normalize';
import type { NodeRecord } from '../node/node.model';
import { toLuceneQuery } from './luceneQuery';
import { searchNodes, type SearchRow } from './search.queries';

const LABEL_OF_TYPE: Record<string, string> = {
  PERSON: ID_PREFIXES.person,
  COMPOUND: ID_PREFIXES.compound,
  ORGANISATION: ID_PREFIXES.organisation,
  EVENT: ID_PREFIXES.event,
  SOURCE: ID_PREFIXES.source,
};

const EDGE_NODE = ['edges', 'node'] as const;

export const searchQueryResolvers: Pick<QueryResolvers<GraphContext>, 'search'> = {
  search: async (_root, args, context, info) => {
    if (args.query.length > 200) throw new BadUserInputError('Argument "query" may be at most 200 characters.', 'query');
    const page = readPage(args.first, args.after);
    const lucene = toLuceneQuery(args.query);
    if (!lucene) throw new BadUserInputError('Argument "query" must contain at least one letter or digit.', 'query');
    const labels = (args.types?.length ? args.types : Object.keys(LABEL_OF_TYPE)).map((type) => LABEL_OF_TYPE[type] ?? type);
    // Hits carry only the properties the selection reads on them (whole nodes when it reads any other field,
    // or when sources can be hits: they are not in the projection table).
    const projection = projectionAt(info, EDGE_NODE, labels);
    const [row] = await context.executor.read<SearchRow>(searchNodes(lucene, labels, page, canSeeVictimIdentity(context.viewer), projection));
    const hits = (row?.hits ?? []).map((hit) => ({ node: toNodeRecord(hit.node) as NodeRecord, score: hit.score }));
    // The node loader holds whole records only.
    if (projection === null) hits.forEach((hit) => context.loaders.node.prime(hit.node.id, hit.node));
    return toConnection(hits, page, row?.total ?? 0, (hit, cursor) => ({ cursor, node: hit.node, score: hit.score }));
  },
};

import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { parseGlobalId, parseGlobalIds } from '../common/ids';
import { BadUserInputError } from '../errors';
import type { EntityRecord, NodeRecord } from './node.model';
import type { SourceRecord } from '../source/source.model';

/** GraphQL type name of a record; the label is the type name. */
export function typeOf(record: NodeRecord): NodeRecord['label'] {
  return record.label;
}

export const nodeQueryResolvers: Pick<QueryResolvers<GraphContext>, 'node' | 'nodes'> = {
  node: (_root, args, context) => {
    parseGlobalId(args.id, 'id');
    return context.loaders.node.load(args.id);
  },
  nodes: async (_root, args, context) => {
    if (args.ids.length > 100) throw new BadUserInputError('Argument "ids" may hold at most 100 ids.', 'ids');
    const records = await context.loaders.node.loadMany(parseGlobalIds(args.ids, 'ids'));
    return records.map((record) => (record instanceof Error ? null : record));
  },
};

export const nodeInterfaceResolvers = {
  Node: { __resolveType: typeOf },
  Entity: { __resolveType: (record: EntityRecord) => record.label },
  Sourced: { __resolveType: (record: Exclude<NodeRecord, SourceRecord>) => record.label },
};

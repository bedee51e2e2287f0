import type { GraphContext } from '../context';
import type { OrganisationKind, OrganisationResolvers, QueryResolvers } from '../generated/graphql';
import { entityFields, relationsOf, toEnum } from '../common/entityResolvers';
import { readPage, toConnection } from '../common/pagination';
import type { ListRow } from '../common/listQuery';
import { toNodeRecord } from '../node/node.normalize';
import type { OrganisationRecord } from './organisation.model';
import { listOrganisations } from './organisation.queries';

export const organisationResolvers: OrganisationResolvers<GraphContext> = {
  ...entityFields,
  type: () => 'ORGANISATION',
  kind: (o) => toEnum<OrganisationKind>(o.kind),
  country: (o) => o.country ?? [],
  address: (o) => o.address ?? null,
  description: (o) => o.description ?? null,
  topics: (o) => o.topics ?? [],
  members: (o, args, context) =>
    relationsOf(o, { types: ['LEADS', 'MEMBER_OF', 'EMPLOYED_BY'], direction: 'INCOMING', asOf: args.asOf }, context),
  compounds: (o, args, context) => relationsOf(o, { types: ['OPERATES', 'PROTECTS'], direction: 'OUTGOING', asOf: args.asOf }, context),
  linkedOrganisations: (o, args, context) =>
    relationsOf(o, { types: ['PART_OF', 'OWNS', 'AFFILIATED_WITH'], direction: 'BOTH', asOf: args.asOf }, context),
};

export const organisationQueryResolvers: Pick<QueryResolvers<GraphContext>, 'organisations'> = {
  organisations: async (_root, args, context, info) => {
    const page = readPage(args.first, args.after, info);
    const [row] = await context.executor.read<ListRow>(listOrganisations(args.filter, args.orderBy, page));
    const nodes = (row?.rows ?? []).map((raw) => toNodeRecord(raw) as OrganisationRecord);
    nodes.forEach((n) => context.loaders.node.prime(n.id, n));
    return toConnection(nodes, page, row?.total ?? null);
  },
};

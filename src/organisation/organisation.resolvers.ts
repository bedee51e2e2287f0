import type { GraphContext } from '../context';
import type { OrganisationKind, OrganisationResolvers, QueryResolvers } from '../generated/graphql';
import { entityFields, fixedRelationsOf, RELATION_FIELDS, toEnum } from '../common/entityResolvers';
import { readPage } from '../common/pagination';
import { listConnection, type ListRow } from '../common/listQuery';
import type { OrganisationRecord } from './organisation.model';
import { listOrganisations } from './organisation.queries';
import { checkIdOf } from '../common/ids';

export const organisationResolvers: OrganisationResolvers<GraphContext> = {
  ...entityFields,
  type: () => 'ORGANISATION',
  kind: (o) => toEnum<OrganisationKind>(o.kind),
  country: (o) => o.country ?? [],
  address: (o) => o.address ?? null,
  description: (o) => o.description ?? null,
  topics: (o) => o.topics ?? [],
  members: (o, args, context, info) =>
    fixedRelationsOf(o, RELATION_FIELDS.Organisation.members, args.asOf, context, info),
  compounds: (o, args, context, info) => fixedRelationsOf(o, RELATION_FIELDS.Organisation.compounds, args.asOf, context, info),
  linkedOrganisations: (o, args, context, info) =>
    fixedRelationsOf(o, RELATION_FIELDS.Organisation.linkedOrganisations, args.asOf, context, info),
};

export const organisationQueryResolvers: Pick<QueryResolvers<GraphContext>, 'organisations'> = {
  organisations: async (_root, args, context, info) => {
    checkIdOf(args.filter?.sourceId, ['source'], 'filter.sourceId');
    const page = readPage(args.first, args.after, info, 'Organisation');
    const [row] = await context.executor.read<ListRow>(listOrganisations(args.filter, args.orderBy, page));
    return listConnection<OrganisationRecord>(row, page, context.loaders);
  },
};

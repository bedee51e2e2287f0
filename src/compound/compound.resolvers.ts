import { canSeeVictims } from '../auth/viewer';
import type { GraphContext } from '../context';
import type { CompoundResolvers, CompoundStatus, QueryResolvers } from '../generated/graphql';
import { entityFields, fixedRelationsOf, RELATION_FIELDS, toEnum } from '../common/entityResolvers';
import { parseDateArgument } from '../common/partialDate';
import { readPage } from '../common/pagination';
import { listConnection, type ListRow } from '../common/listQuery';
import type { EventRecord } from '../event/event.model';
import type { CompoundRecord, StatusPeriodRecord } from './compound.model';
import { listCompounds } from './compound.queries';
import { checkIdOf } from '../common/ids';

/** The status an event gives its compound: a raid means RAIDED; a status change names its status. */
function statusOf(event: EventRecord): string {
  return event.kind === 'raid' ? 'raided' : (event.status ?? 'unknown');
}

/** A compound's status periods, oldest first, from its status-changing events. */
export async function statusHistory(compound: CompoundRecord, context: GraphContext): Promise<StatusPeriodRecord[]> {
  const events = await context.loaders.statusEvents.load(compound.id);
  return events.map((event, index) => ({
    status: statusOf(event),
    from: event.date ?? null,
    until: events[index + 1]?.date ?? null,
    event,
  }));
}

export const compoundResolvers: CompoundResolvers<GraphContext> = {
  ...entityFields,
  type: () => 'COMPOUND',
  country: (c) => c.country ?? null,
  region: (c) => c.region ?? null,
  city: (c) => c.city ?? null,
  location: (c) => (c.location ? { latitude: c.location.y, longitude: c.location.x } : null),
  status: async (c, args, context) => {
    const asOf = parseDateArgument(args.asOf, 'asOf');
    if (!asOf) return toEnum<CompoundStatus>(c.status);
    const history = await statusHistory(c, context);
    const inForce = history.filter((period) => (period.event.dateStart ?? '') <= asOf.end);
    return toEnum<CompoundStatus>(inForce[inForce.length - 1]?.status ?? 'unknown');
  },
  statusHistory: (c, _args, context) => statusHistory(c, context),
  securityFeatures: (c) => c.securityFeatures ?? [],
  estimatedHeadcount: (c) => c.estimatedHeadcount ?? null,
  description: (c) => c.description ?? null,
  operators: (c, args, context, info) => fixedRelationsOf(c, RELATION_FIELDS.Compound.operators, args.asOf, context, info),
  protectors: (c, args, context, info) => fixedRelationsOf(c, RELATION_FIELDS.Compound.protectors, args.asOf, context, info),
  staff: (c, args, context, info) => fixedRelationsOf(c, RELATION_FIELDS.Compound.staff, args.asOf, context, info),
};

export const compoundStatusPeriodResolvers = {
  status: (p: StatusPeriodRecord) => toEnum<CompoundStatus>(p.status),
};

export const compoundQueryResolvers: Pick<QueryResolvers<GraphContext>, 'compounds'> = {
  compounds: async (_root, args, context, info) => {
    checkIdOf(args.filter?.operatorId, ['organisation', 'person'], 'filter.operatorId');
    checkIdOf(args.filter?.sourceId, ['source'], 'filter.sourceId');
    const page = readPage(args.first, args.after, info, 'Compound');
    const [row] = await context.executor.read<ListRow>(listCompounds(args.filter, args.orderBy, page, canSeeVictims(context.viewer)));
    return listConnection<CompoundRecord>(row, page, context.loaders);
  },
};

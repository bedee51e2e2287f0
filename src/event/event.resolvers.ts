import type { GraphContext } from '../context';
import type {
  CompoundStatus,
  Dataset,
  EventKind,
  EventResolvers,
  ParticipantRole,
  QueryResolvers,
  RecruitmentChannel,
} from '../generated/graphql';
import { canSeeVictims } from '../auth/viewer';
import { sourcesOf, toEnum } from '../common/entityResolvers';
import { parseDatePeriod } from '../common/partialDate';
import { readPage } from '../common/pagination';
import { listConnection, type ListRow } from '../common/listQuery';
import type { CompoundRecord } from '../compound/compound.model';
import type { EventRecord, ParticipantRecord, ParticipationRecord } from './event.model';
import { listEvents } from './event.queries';
import { checkIdOf } from '../common/ids';

async function compoundById(id: string | undefined, context: GraphContext): Promise<CompoundRecord | null> {
  if (!id) return null;
  const record = await context.loaders.node.load(id);
  return record?.label === 'Compound' ? record : null;
}

export const eventResolvers: EventResolvers<GraphContext> = {
  kind: (e) => toEnum<EventKind>(e.kind),
  date: (e) => e.date ?? null,
  endDate: (e) => e.endDate ?? null,
  description: (e) => e.description ?? null,
  country: (e) => e.country ?? null,
  place: (e) => e.place ?? null,
  compound: (e, _a, context) => compoundById(e.compoundId, context),
  fromCompound: (e, _a, context) => compoundById(e.fromCompoundId, context),
  toCompound: (e, _a, context) => compoundById(e.toCompoundId, context),
  price: (e) => e.price ?? null,
  currency: (e) => e.currency ?? null,
  channel: (e) => (e.channel ? toEnum<RecruitmentChannel>(e.channel) : null),
  status: (e) => (e.status ? toEnum<CompoundStatus>(e.status) : null),
  participants: async (e, args, context) => {
    const all = await context.loaders.participants.load(e.id);
    const roles = args.roles?.map((role) => role.toLowerCase());
    return all.filter((p) => !roles?.length || roles.includes(p.role));
  },
  dataset: (e) => toEnum<Dataset>(e.dataset),
  synthetic: (e) => e.synthetic,
  sources: (e, _a, context) => sourcesOf(e.sources, context),
  claims: (e, _a, context) => context.loaders.claims.load(e.id),
};

export const participantResolvers = {
  role: (p: ParticipantRecord) => toEnum<ParticipantRole>(p.role),
};

export const participationResolvers = {
  role: (p: ParticipationRecord) => toEnum<ParticipantRole>(p.role),
};

export const eventQueryResolvers: Pick<QueryResolvers<GraphContext>, 'events'> = {
  events: async (_root, args, context, info) => {
    checkIdOf(args.filter?.compoundId, ['compound'], 'filter.compoundId');
    checkIdOf(args.filter?.participantId, ['person', 'organisation', 'compound'], 'filter.participantId');
    checkIdOf(args.filter?.sourceId, ['source'], 'filter.sourceId');
    const page = readPage(args.first, args.after, info, 'Event');
    const range = parseDatePeriod(args.filter?.from, args.filter?.to, 'filter.from', 'filter.to');
    const statement = listEvents(args.filter, args.orderBy, page, range, canSeeVictims(context.viewer));
    const [row] = await context.executor.read<ListRow>(statement);
    return listConnection<EventRecord>(row, page, context.loaders);
  },
};

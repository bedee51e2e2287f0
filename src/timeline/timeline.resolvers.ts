import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { canSeeVictims } from '../auth/viewer';
import { parseGlobalIds } from '../common/ids';
import { parseDatePeriod } from '../common/partialDate';
import { BadUserInputError } from '../errors';
import { toNodeRecord } from '../node/node.normalize';
import type { EventRecord } from '../event/event.model';
import { boundedInt, TRAVERSAL_LIMITS } from '../network/limits';
import { findTimelineEvents, type TimelineRow } from './timeline.queries';

export const timelineQueryResolvers: Pick<QueryResolvers<GraphContext>, 'timeline'> = {
  timeline: async (_root, args, context) => {
    if (args.ids && args.ids.length > TRAVERSAL_LIMITS.ids.max) {
      throw new BadUserInputError(`Argument "ids" may name at most ${TRAVERSAL_LIMITS.ids.max} entities.`, 'ids');
    }
    const filter = args.filter ?? {};
    const first = boundedInt(filter.first, 'filter.first', 1, TRAVERSAL_LIMITS.timeline.max, TRAVERSAL_LIMITS.timeline.default);
    const rows = await context.executor.read<TimelineRow>(
      findTimelineEvents({
        ids: args.ids ? parseGlobalIds(args.ids, 'ids') : null,
        kinds: filter.kinds?.map((k) => k.toLowerCase()) ?? null,
        ...parseDatePeriod(filter.from, filter.to, 'filter.from', 'filter.to'),
        first,
        victimsVisible: canSeeVictims(context.viewer),
      }),
    );
    const events = rows.slice(0, first).map((row) => toNodeRecord(row.event) as EventRecord);
    events.forEach((e) => context.loaders.node.prime(e.id, e));
    return events;
  },
};

import type { GraphContext } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { canSeeVictimIdentity, canSeeVictims } from '../auth/viewer';
import { BadUserInputError } from '../errors';
import { inForce, sourcesOf } from '../common/entityResolvers';
import { selectsField } from '../common/lookahead';
import { parseDateArgument } from '../common/partialDate';
import { storedValues } from '../common/listQuery';
import { toNodeRecord } from '../node/node.normalize';
import { isEntityRecord, type NodeRecord } from '../node/node.model';
import type { CompoundRecord } from '../compound/compound.model';
import type { EventRecord } from '../event/event.model';
import type { PersonRecord } from '../person/person.model';
import { byNameFor } from '../person/victimIdentity';
import {
  findBrokersAcrossCompounds,
  findDisputedClaims,
  findRaidedCompounds,
  findRepeatedlySoldVictims,
  findTransferCorridors,
  type BrokerReachRow,
  type CorridorRow,
  type DisputeRow,
  type RaidedCompoundRow,
  type RepeatedSaleRow,
} from './insights.queries';
import {
  priceStatistics,
  type BrokerReachRecord,
  type ClaimDisputeRecord,
  type ConnectorRecord,
  type RaidedCompoundRecord,
  type RepeatedSaleRecord,
  type TransferCorridorRecord,
} from './insights.model';

/** Reads a non-negative integer threshold argument, or throws BAD_USER_INPUT naming it. */
function threshold(value: number | null | undefined, fallback: number, argument: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new BadUserInputError(`Argument "${argument}" must be between 0 and 10000.`, argument);
  return n;
}

/** Events projected by a query, normalised and primed into the node loader. */
function eventRecords(raw: readonly Record<string, unknown>[], context: GraphContext): EventRecord[] {
  return raw.map((r) => {
    const event = toNodeRecord(r) as EventRecord;
    context.loaders.node.prime(event.id, event);
    return event;
  });
}

/** Loads nodes through the viewer-aware loader; absent or hidden ones come back as null. */
async function loadVisible<T extends NodeRecord>(ids: readonly string[], context: GraphContext): Promise<(T | null)[]> {
  const records = await context.loaders.node.loadMany(ids);
  return records.map((r) => (r && !(r instanceof Error) ? (r as T) : null));
}

type InsightFields =
  | 'transferCorridors'
  | 'repeatedlySoldVictims'
  | 'brokersAcrossCompounds'
  | 'raidedCompounds'
  | 'disputedClaims'
  | 'connectors';

/** Aggregations the entity lists cannot express; the answers behind several built-in saved queries. */
export const insightsQueryResolvers: Pick<QueryResolvers<GraphContext>, InsightFields> = {
  transferCorridors: async (_root, args, context) => {
    const minCount = threshold(args.minCount, 1, 'minCount');
    const rows = await context.executor.read<CorridorRow>(findTransferCorridors(args.currency ?? null));
    const kept = rows.filter((row) => row.events.length >= minCount);
    const compounds = await loadVisible<CompoundRecord>(kept.flatMap((row) => [row.fromId, row.toId]), context);
    const corridors = await Promise.all(
      kept.map(async (row, index): Promise<TransferCorridorRecord | null> => {
        const from = compounds[index * 2];
        const to = compounds[index * 2 + 1];
        if (!from || !to) return null;
        const transfers = eventRecords(row.events, context);
        const disputed = new Set(row.disputedIds);
        return {
          from,
          to,
          count: transfers.length,
          prices: priceStatistics(transfers, disputed),
          firstDate: transfers[0]?.date ?? null,
          lastDate: transfers[transfers.length - 1]?.date ?? null,
          transfers,
          disputedTransfers: transfers.filter((transfer) => disputed.has(transfer.id)),
          sources: await sourcesOf([...new Set(transfers.flatMap((transfer) => transfer.sources))], context),
        };
      }),
    );
    return corridors.filter((corridor): corridor is TransferCorridorRecord => corridor !== null);
  },

  repeatedlySoldVictims: async (_root, args, context) => {
    const minTransfers = threshold(args.minTransfers, 2, 'minTransfers');
    if (!canSeeVictims(context.viewer)) return [];
    const rows = await context.executor.read<RepeatedSaleRow>(findRepeatedlySoldVictims(minTransfers));
    const victims = await loadVisible<PersonRecord>(rows.map((row) => row.victimId), context);
    return rows.flatMap((row, index): RepeatedSaleRecord[] => {
      const victim = victims[index];
      if (!victim) return [];
      return [{ victim, transferCount: row.events.length, transfers: eventRecords(row.events, context) }];
    });
  },

  brokersAcrossCompounds: async (_root, args, context, info) => {
    const minCompounds = threshold(args.minCompounds, 2, 'minCompounds');
    const rows = await context.executor.read<BrokerReachRow>(findBrokersAcrossCompounds(minCompounds));
    const brokers = await loadVisible<PersonRecord>(rows.map((row) => row.brokerId), context);
    const compounds = await loadVisible<CompoundRecord>([...new Set(rows.flatMap((row) => row.compoundIds))], context);
    const byId = new Map(compounds.filter((c): c is CompoundRecord => !!c).map((c) => [c.id, c]));
    // Each compound's evidence: the broker's WORKS_AT ties there as broker (the ties the statement counted), read only when selected.
    const ties = selectsField(info, ['reach', 'ties'])
      ? await context.loaders.relationsOfKind(['WORKS_AT'], 'OUTGOING').loadMany(rows.map((row) => row.brokerId))
      : [];
    return rows.flatMap((row, index): BrokerReachRecord[] => {
      const broker = brokers[index];
      if (!broker) return [];
      const reached = row.compoundIds
        .map((id) => byId.get(id))
        .filter((c): c is CompoundRecord => !!c)
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      const transfers = eventRecords(row.events, context);
      const brokerTies = ties[index];
      const asBroker = Array.isArray(brokerTies) ? brokerTies.filter((tie) => (tie.position ?? '').toLowerCase() === 'broker') : [];
      const reach = reached.map((compound) => ({
        compound,
        ties: asBroker.filter((tie) => tie.other.id === compound.id),
        transfers: transfers.filter((t) => t.fromCompoundId === compound.id || t.toCompoundId === compound.id),
      }));
      return [{ broker, compoundCount: reached.length, compounds: reached, transferCount: transfers.length, transfers, reach }];
    });
  },

  raidedCompounds: async (_root, args, context) => {
    const statuses = storedValues(args.status ?? ['OPERATING']);
    const rows = await context.executor.read<RaidedCompoundRow>(findRaidedCompounds(statuses));
    return rows.map((row): RaidedCompoundRecord => {
      const compound = toNodeRecord(row.compound) as CompoundRecord;
      context.loaders.node.prime(compound.id, compound);
      const raids = eventRecords(row.raids, context);
      return { compound, raids, lastRaid: raids[raids.length - 1]?.date ?? null };
    });
  },

  disputedClaims: async (_root, args, context) => {
    const rows = await context.executor.read<DisputeRow>(findDisputedClaims(args.subjectId ?? null, canSeeVictimIdentity(context.viewer)));
    const subjects = await loadVisible<NodeRecord>(rows.map((row) => row.subjectId), context);
    const claims = await context.loaders.claims.loadMany(rows.map((row) => row.subjectId));
    return rows.flatMap((row, index): ClaimDisputeRecord[] => {
      const subject = subjects[index];
      const about = claims[index];
      if (!subject || !about || about instanceof Error) return [];
      return [{ subject, property: row.property, claims: about.filter((claim) => claim.property === row.property) }];
    });
  },

  connectors: async (_root, args, context) => {
    const asOf = parseDateArgument(args.asOf, 'asOf');
    // An end the viewer may not see (a victim, for the public; anything retired) names nothing: its relations are never read.
    const ends = await loadVisible<NodeRecord>([args.from, args.to], context);
    if (ends.some((end) => end === null)) return [];
    const [fromRelations, toRelations] = await Promise.all([context.loaders.relations.load(args.from), context.loaders.relations.load(args.to)]);
    const current = (relations: typeof fromRelations) => relations.filter((r) => inForce(r, asOf));
    const towardsTo = new Set(current(toRelations).map((r) => r.other.id));
    const middle = new Map<string, typeof fromRelations>();
    for (const relation of current(fromRelations)) {
      if (relation.other.id === args.to || !towardsTo.has(relation.other.id)) continue;
      middle.set(relation.other.id, [...(middle.get(relation.other.id) ?? []), relation]);
    }
    const ids = [...middle.keys()];
    const ownRelations = await context.loaders.relations.loadMany(ids);
    const byName = byNameFor(context.viewer);
    return ids
      .flatMap((id, index): ConnectorRecord[] => {
        const relations = ownRelations[index];
        const first = middle.get(id)?.[0];
        if (!first || !relations || relations instanceof Error || !isEntityRecord(first.other)) return [];
        return [{ entity: first.other, fromRelations: middle.get(id) ?? [], toRelations: current(relations).filter((r) => r.other.id === args.to) }];
      })
      .sort((a, b) => byName(a.entity, b.entity));
  },
};

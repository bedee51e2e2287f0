import type { CompoundRecord } from '../compound/compound.model';
import type { EventRecord } from '../event/event.model';
import type { NodeRecord } from '../node/node.model';
import type { PersonRecord } from '../person/person.model';
import type { ClaimRecord } from '../claim/claim.model';
import type { EntityRecord } from '../node/node.model';
import type { RelationRecord } from '../relation/relation.model';
import type { SourceRecord } from '../source/source.model';

/** Price statistics of one corridor in one currency. */
export interface CorridorPriceRecord {
  currency: string;
  count: number;
  min: number;
  median: number;
  max: number;
  /** How many of the `count` transfers have a price or currency that claims about them dispute. */
  disputed: number;
}

export interface TransferCorridorRecord {
  from: CompoundRecord;
  to: CompoundRecord;
  count: number;
  prices: CorridorPriceRecord[];
  firstDate: string | null;
  lastDate: string | null;
  transfers: EventRecord[];
  disputedTransfers: EventRecord[];
  sources: SourceRecord[];
}

export interface RepeatedSaleRecord {
  victim: PersonRecord;
  transferCount: number;
  transfers: EventRecord[];
}

export interface BrokerReachRecord {
  broker: PersonRecord;
  compoundCount: number;
  compounds: CompoundRecord[];
  transferCount: number;
  transfers: EventRecord[];
  /** Each of `compounds` with its own evidence; its `ties` are empty unless `reach { ties }` is selected (they are a read of their own). */
  reach: BrokerCompoundRecord[];
}

/** One compound a broker reaches: their WORKS_AT ties there as broker, and the brokered transfers from or to it. */
export interface BrokerCompoundRecord {
  compound: CompoundRecord;
  ties: RelationRecord[];
  transfers: EventRecord[];
}

export interface RaidedCompoundRecord {
  compound: CompoundRecord;
  raids: EventRecord[];
  lastRaid: string | null;
}

export interface ClaimDisputeRecord {
  subject: NodeRecord;
  property: string;
  claims: ClaimRecord[];
}

export interface ConnectorRecord {
  entity: EntityRecord;
  fromRelations: RelationRecord[];
  toRelations: RelationRecord[];
}

/** The median of `values` (sorted or not); for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Per-currency price statistics of priced transfers, ordered by currency; unpriced transfers are left out. `disputed`
 * holds the ids of transfers whose price or currency claims dispute: each currency counts its own.
 *
 *     priceStatistics([{ id: 'event:a', price: 8000, currency: 'USD' }, { id: 'event:b', price: 9000, currency: 'USD' }], new Set(['event:b']))
 *     // [{ currency: 'USD', count: 2, min: 8000, median: 8500, max: 9000, disputed: 1 }]
 */
export function priceStatistics(events: readonly Pick<EventRecord, 'id' | 'price' | 'currency'>[], disputed: ReadonlySet<string> = new Set()): CorridorPriceRecord[] {
  const byCurrency = new Map<string, { prices: number[]; disputed: number }>();
  for (const event of events) {
    if (typeof event.price !== 'number' || !event.currency) continue;
    const stats = byCurrency.get(event.currency) ?? { prices: [], disputed: 0 };
    stats.prices.push(event.price);
    if (disputed.has(event.id)) stats.disputed += 1;
    byCurrency.set(event.currency, stats);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, { prices, disputed: disputedCount }]) => ({
      currency,
      count: prices.length,
      min: Math.min(...prices),
      median: median(prices),
      max: Math.max(...prices),
      disputed: disputedCount,
    }));
}

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
}

export interface TransferCorridorRecord {
  from: CompoundRecord;
  to: CompoundRecord;
  count: number;
  prices: CorridorPriceRecord[];
  firstDate: string | null;
  lastDate: string | null;
  transfers: EventRecord[];
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
 * Per-currency price statistics of priced transfers, ordered by currency; unpriced transfers are left out.
 *
 *     priceStatistics([{ price: 8000, currency: 'USD' }, { price: 9000, currency: 'USD' }])
 *     // [{ currency: 'USD', count: 2, min: 8000, median: 8500, max: 9000 }]
 */
export function priceStatistics(events: readonly Pick<EventRecord, 'price' | 'currency'>[]): CorridorPriceRecord[] {
  const byCurrency = new Map<string, number[]>();
  for (const event of events) {
    if (typeof event.price !== 'number' || !event.currency) continue;
    byCurrency.set(event.currency, [...(byCurrency.get(event.currency) ?? []), event.price]);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, prices]) => ({
      currency,
      count: prices.length,
      min: Math.min(...prices),
      median: median(prices),
      max: Math.max(...prices),
    }));
}

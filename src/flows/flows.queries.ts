import { int, type Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { priceDisputed } from '../claim/claim.queries';
import type { DateRange } from '../common/partialDate';

export interface FlowQuery {
  /** Lower-case ISO country codes: a flow is kept when its origin or destination is in one of them. */
  countries: readonly string[] | null;
  from: DateRange | undefined;
  to: DateRange | undefined;
  minCount: number;
  /** The onward view: only transfers of victims who left this compound, this many transfers on. */
  onward: { compoundId: string; hops: number } | null;
  /** At most this many flows: the ones with most transfers (ties by origin id, then destination id). */
  limit: number;
}

export interface PriceStatsRow {
  currency: string;
  count: number;
  min: number;
  median: number;
  max: number;
  /** How many of `count` have a price or currency that claims dispute. */
  disputed: number;
}

export interface FlowRow {
  origin: string;
  destination: string;
  count: number;
  firstDate: string | null;
  lastDate: string | null;
  events: string[];
  /** The transfers among `events` whose price or currency claims dispute (src/claim/claim.queries.ts, priceDisputed). */
  disputedEvents: string[];
  /** The sources its transfers cite, each once, in id order: the flow's citations. */
  sources: string[];
  prices: PriceStatsRow[];
}

/**
 * The onward selection: each transfer out of the compound, followed by the same victim's next transfers,
 * at most `hops` in all, and only while the chain is unbroken (each leaves from where the last one went).
 */
const ONWARD_TRANSFERS = `MATCH (:Compound {id: $fromCompound})<-[:FROM]-(first:Event {kind: 'transfer'})-[:INVOLVES {role: 'victim'}]->(v:Person)
WHERE first.retiredAt IS NULL AND v.retiredAt IS NULL
CALL (v) {
  MATCH (v)<-[:INVOLVES {role: 'victim'}]-(t:Event {kind: 'transfer'})
  WHERE t.retiredAt IS NULL
  WITH t ORDER BY t.dateStart, t.id
  RETURN collect(t) AS chain
}
WITH chain, [i IN range(0, size(chain) - 1) WHERE chain[i] = first][0] AS at
WITH chain[at .. at + $hops] AS onward
WITH onward, [i IN range(1, size(onward) - 1) WHERE onward[i].fromCompoundId <> onward[i - 1].toCompoundId] AS breaks
UNWIND CASE WHEN size(breaks) = 0 THEN onward ELSE onward[0 .. breaks[0]] END AS t
WITH DISTINCT t
MATCH (a:Compound)<-[:FROM]-(t)-[:TO]->(b:Compound)`;

const ALL_TRANSFERS = `MATCH (a:Compound)<-[:FROM]-(t:Event {kind: 'transfer'})-[:TO]->(b:Compound)`;

/** The one row of {@link findCompoundFlows}: the flows, every compound they touch (each projected once), and whether flows were left out. */
export interface FlowsResult {
  flows: FlowRow[];
  compounds: Record<string, unknown>[];
  truncated: boolean;
}

/**
 * One flow per ordered compound pair with transfers: their number, first and last date (with their
 * precision), the event ids, the sources they cite, and per currency the count, min, median (mean of the two middle values when
 * even) and max price, and how many of those prices claims dispute (with the disputed transfers' ids). Transfers without
 * price or currency count but give no price statistics.
 * Compounds are projected once each, not once per flow: on a large graph most pairs are distinct and
 * projecting both ends per row was most of the work.
 *
 * At most `limit` flows are kept, those with most transfers first (ties by origin id, then destination
 * id), and only they get price statistics; `truncated` says whether any were left out. No row when no
 * flow is kept. Retired transfers, and transfers from or to a retired compound, are left out (until December 5th, 2026
 * they were counted, and cited transfers `node` no longer answers).
 *
 * The pairs are chosen on their counts alone (the transfers grouped as node references, the top `limit + 1`
 * kept by `ORDER BY ... LIMIT`); only the kept pairs' transfers are then read, sorted by date and projected.
 * Until December 4th, 2026 every transfer of the graph was sorted and projected first: at 1M nodes (262 000
 * transfers, 10 000 of some 250 000 pairs kept) that was most of the statement's time (bench/README.md).
 */
export function findCompoundFlows(query: FlowQuery): Statement {
  // A retired transfer, or one from or to a retired compound, counts toward nothing (as in the insight aggregations).
  const where: string[] = ['t.retiredAt IS NULL', 'a.retiredAt IS NULL', 'b.retiredAt IS NULL'];
  if (query.countries?.length) where.push('(a.country IN $countries OR b.country IN $countries)');
  if (query.from) where.push('t.dateEnd >= $from');
  if (query.to) where.push('t.dateStart <= $to');
  return {
    cypher: `${query.onward ? ONWARD_TRANSFERS : ALL_TRANSFERS}
WHERE ${where.join(' AND ')}
WITH a, b, collect(t) AS ts
WHERE size(ts) >= $minCount
WITH a, b, ts ORDER BY size(ts) DESC, a.id, b.id
LIMIT $limit + 1
WITH collect({a: a, b: b, ts: ts}) AS pairs
WITH pairs[0..$limit] AS kept, size(pairs) > $limit AS truncated
UNWIND kept AS pair
UNWIND pair.ts AS t
WITH pair.a AS a, pair.b AS b, t, truncated, ${priceDisputed('t')} AS disputed ORDER BY t.dateStart, t.dateEnd, t.id
WITH a, b, truncated, collect(t {.id, .date, .price, .currency, .sources, disputed: disputed}) AS ts
CALL (ts) {
  UNWIND ts AS t
  WITH t WHERE t.price IS NOT NULL AND t.currency IS NOT NULL
  WITH t.currency AS currency, count(*) AS n, min(t.price) AS low, percentileCont(t.price, 0.5) AS median, max(t.price) AS high,
    count(CASE WHEN t.disputed THEN 1 END) AS disputed
  ORDER BY currency
  RETURN collect({currency: currency, count: n, min: low, median: median, max: high, disputed: disputed}) AS prices
}
WITH a, b, ts, prices, truncated, COLLECT { UNWIND ts AS t UNWIND coalesce(t.sources, []) AS source RETURN DISTINCT source ORDER BY source } AS sources
ORDER BY a.id, b.id
WITH truncated, collect({origin: a.id, destination: b.id, count: size(ts), firstDate: head(ts).date, lastDate: last(ts).date,
  events: [t IN ts | t.id], disputedEvents: [t IN ts WHERE t.disputed | t.id], prices: prices, sources: sources}) AS flows,
  collect(DISTINCT a) + collect(DISTINCT b) AS ends
CALL (ends) {
  UNWIND ends AS c
  WITH DISTINCT c
  RETURN collect(${projectNode('c')}) AS compounds
}
RETURN flows, compounds, truncated`,
    params: {
      countries: query.countries ?? [],
      from: query.from?.start ?? null,
      to: query.to?.end ?? null,
      minCount: int(query.minCount),
      fromCompound: query.onward?.compoundId ?? null,
      hops: int(query.onward?.hops ?? 0),
      limit: int(query.limit),
    },
  };
}

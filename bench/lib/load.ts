import autocannon from 'autocannon';

/** Latency and throughput of one query at one concurrency. */
export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  /** Requests per second over the run. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Responses that were not 2xx or whose body carried GraphQL errors. */
  failures: number;
  /** Measured in this many turns, taken in rotation with the other systems (see {@link runInTurns}). */
  turns?: number;
  /** The p50 of each turn, in order: how much the machine drifted while this was measured. */
  turnP50s?: number[];
}

export interface LoadRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/**
 * Sends the same POST for `durationS` seconds with `connections` concurrent connections (autocannon,
 * in this process) and measures every response. Percentiles are exact (from every response time),
 * in milliseconds.
 */
export async function runLoad(options: {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
}): Promise<LoadResult> {
  const first = await measure(options, { duration: options.durationS });
  // A query slower than the duration allows would report nothing or next to nothing (autocannon drops
  // requests in flight at the end): measure those by a fixed number of requests instead, enough for a
  // median that is not one of three (compoundFlows at 100k takes over 2 s a request).
  const enough = Math.max(MIN_RESPONSES, options.connections * 3);
  if (first.requests >= enough) return first;
  return measure(options, { amount: enough });
}

/** Sends the same POST for `durationS` seconds and nothing more (a warm-up); resolves with the number of responses. */
export async function warmUp(options: LoadRequest & { connections: number; durationS: number }): Promise<number> {
  return (await sampleOf(options, { duration: options.durationS })).times.length;
}

/** The fewest responses a measurement is made of. */
export const MIN_RESPONSES = 10;

/**
 * Measures several systems on the same query and concurrency in `turns` short turns each, taken in rotation
 * (A B C, B C A, C A B, ...), `durationS` in all per system; each system's percentiles are of every response of
 * all its turns. The speed of a shared virtual machine drifts over tens of seconds (the same replay's p50 has
 * moved by half between one minute and the next), so systems measured one after the other for the whole
 * duration each, as until December 2026, saw different machines; in turns they see the same drift.
 *
 * A query too slow for a turn's share of the duration (`slow`: fewer than {@link MIN_RESPONSES} responses in
 * some system's warm-up, {@link warmUp}) is measured by count instead: each turn sends each system an equal
 * share of the responses it needs (at least one per connection).
 */
export async function runInTurns<K extends string>(
  systems: readonly (readonly [K, LoadRequest])[],
  options: { connections: number; durationS: number; turns: number; slow: boolean },
): Promise<Map<K, LoadResult>> {
  const { connections, durationS, turns } = options;
  const enough = Math.max(MIN_RESPONSES, connections * 3);
  const perTurn = options.slow ? { amount: Math.max(connections, Math.ceil(enough / turns)) } : { duration: durationS / turns };
  const samples = new Map<K, { times: number[]; elapsedS: number; failures: number; turnP50s: number[] }>(
    systems.map(([name]) => [name, { times: [], elapsedS: 0, failures: 0, turnP50s: [] }]),
  );
  for (let turn = 0; turn < turns; turn++) {
    for (let i = 0; i < systems.length; i++) {
      const [name, request] = systems[(turn + i) % systems.length]!;
      const sample = await sampleOf({ ...request, connections }, perTurn);
      const into = samples.get(name)!;
      for (const time of sample.times) into.times.push(time);
      into.elapsedS += sample.elapsedS;
      into.failures += sample.failures;
      into.turnP50s.push(round(percentile(sample.times, 50)));
    }
  }
  return new Map(
    [...samples].map(([name, { times, elapsedS, failures, turnP50s }]) => [
      name,
      { ...summarise(times, elapsedS, connections, failures), turns, turnP50s },
    ]),
  );
}

async function measure(
  options: { url: string; body: string; headers?: Record<string, string>; connections: number; durationS: number },
  limit: { duration: number } | { amount: number },
): Promise<LoadResult> {
  const { times, elapsedS, failures } = await sampleOf(options, limit);
  return summarise(times, elapsedS, options.connections, failures);
}

/** Every response time (ms, sorted) of one autocannon run, how long it took, and its failed responses. */
async function sampleOf(
  options: LoadRequest & { connections: number },
  limit: { duration: number } | { amount: number },
): Promise<{ times: number[]; elapsedS: number; failures: number }> {
  const times: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        ...limit,
        timeout: 120,
        verifyBody: (body) => !String(body).includes('"errors"'),
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  const elapsedS = 'duration' in limit ? limit.duration : (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { times, elapsedS, failures: result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0) };
}

const round = (n: number): number => Math.round(n * 100) / 100;

function summarise(times: number[], elapsedS: number, connections: number, failures: number): LoadResult {
  times.sort((a, b) => a - b);
  return {
    connections,
    durationS: round(elapsedS),
    requests: times.length,
    rps: round(times.length / elapsedS),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    mean: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    failures,
  };
}

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

/** The fewest responses a measurement is made of. */
export const MIN_RESPONSES = 10;

async function measure(
  options: { url: string; body: string; headers?: Record<string, string>; connections: number; durationS: number },
  limit: { duration: number } | { amount: number },
): Promise<LoadResult> {
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
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    connections: options.connections,
    durationS: round(elapsedS),
    requests: times.length,
    rps: round(times.length / elapsedS),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    mean: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    failures: result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0),
  };
}

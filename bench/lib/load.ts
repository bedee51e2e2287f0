import autocannon from 'autocannon';
import { cpuShares, type CpuReading } from './cpuAccounts';
import { hostCpu, stealShare, type HostCpu } from './host';

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
  /**
   * Each turn's host steal, in order: the share of the CPU time the machine wanted during the turn that its hypervisor
   * gave to other guests (bench/lib/host.ts); null where /proc/stat cannot say.
   */
  turnSteals?: (number | null)[];
  /** Each turn's responses per second, in order (absent from runs before December 5th, 2026, evening). */
  turnRps?: number[];
  /** When each turn started, in ms since the epoch, to line turns up with logs (absent from runs before December 5th, 2026, night). */
  turnStartedAt?: number[];
  /**
   * Where the machine's CPU went in each turn, by process (and a JVM's by kind of thread), as a share of one core; with
   * `host:idle`, what no process used (bench/lib/cpuAccounts.ts). Null where /proc cannot say; absent where not read.
   */
  turnCpu?: (Record<string, number> | null)[];
  /** The same measurement over the quiet rounds alone (see {@link runInTurns}); absent when steal cannot be read. */
  quiet?: QuietResult;
}

/** A measurement over the rounds in which the hypervisor took at most `maxSteal` of every system's turn. */
export interface QuietResult {
  maxSteal: number;
  /** The quiet rounds, by index (0 is the first round): the same for every system of one measurement. */
  rounds: number[];
  requests: number;
  p50: number;
  p95: number;
  p99: number;
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
 *
 * Each turn's host steal is read from /proc/stat (bench/lib/host.ts). A round (every system's turn once) is quiet when
 * the hypervisor took at most `quiet.maxSteal` of every turn's CPU time. With `quiet`, rounds are added, up to
 * `quiet.extraRounds` more, until `turns` of them were quiet, and each result carries the measurement of the quiet
 * rounds alone (`quiet`) beside the one of all rounds. In an hour when the host took a fifth of the CPU and more, the
 * same replay's p50 doubled: such turns measure the host as much as the code.
 */
export async function runInTurns<K extends string>(
  systems: readonly (readonly [K, LoadRequest])[],
  options: {
    connections: number;
    durationS: number;
    turns: number;
    slow: boolean;
    quiet?: { maxSteal: number; extraRounds: number };
    /** The machine's CPU times (tests give a scripted host); /proc/stat by default. */
    readHost?: () => HostCpu | undefined;
    /** CPU used so far by the processes taking part, read before and after each turn ({@link LoadResult.turnCpu}). */
    readCpu?: () => CpuReading | undefined;
  },
): Promise<Map<K, LoadResult>> {
  const { connections, durationS, turns, quiet, readHost = () => hostCpu(), readCpu } = options;
  const enough = Math.max(MIN_RESPONSES, connections * 3);
  const perTurn = options.slow ? { amount: Math.max(connections, Math.ceil(enough / turns)) } : { duration: durationS / turns };
  interface Turns {
    rounds: number[][];
    elapsedS: number;
    failures: number;
    turnP50s: number[];
    turnSteals: (number | null)[];
    turnRps: number[];
    turnStartedAt: number[];
    turnCpu: (Record<string, number> | null)[];
  }
  const samples = new Map<K, Turns>(
    systems.map(([name]) => [name, { rounds: [], elapsedS: 0, failures: 0, turnP50s: [], turnSteals: [], turnRps: [], turnStartedAt: [], turnCpu: [] }]),
  );
  const quietRounds: number[] = [];
  let stealKnown = true;
  const wantsMore = (round: number): boolean =>
    round < turns || (quiet !== undefined && stealKnown && quietRounds.length < turns && round < turns + quiet.extraRounds);
  for (let round = 0; wantsMore(round); round++) {
    let roundIsQuiet = true;
    for (let i = 0; i < systems.length; i++) {
      const [name, request] = systems[(round + i) % systems.length]!;
      const startedAt = Date.now();
      const cpuBefore = readCpu?.();
      const before = readHost();
      const started = performance.now();
      const sample = await sampleOf({ ...request, connections }, perTurn);
      const wallS = (performance.now() - started) / 1000;
      const steal = stealShare(before, readHost());
      const cpu = readCpu ? cpuShares(cpuBefore, readCpu(), wallS) : undefined;
      if (steal === undefined) stealKnown = false;
      if (steal === undefined || (quiet && steal > quiet.maxSteal)) roundIsQuiet = false;
      const into = samples.get(name)!;
      into.rounds.push(sample.times);
      into.elapsedS += sample.elapsedS;
      into.failures += sample.failures;
      into.turnP50s.push(round2(percentile(sample.times, 50)));
      into.turnSteals.push(steal === undefined ? null : Math.round(steal * 1000) / 1000);
      into.turnRps.push(sample.elapsedS > 0 ? round2(sample.times.length / sample.elapsedS) : 0);
      into.turnStartedAt.push(startedAt);
      if (cpu !== undefined) into.turnCpu.push(cpu);
    }
    if (roundIsQuiet) quietRounds.push(round);
  }
  return new Map(
    [...samples].map(([name, { rounds, elapsedS, failures, turnP50s, turnSteals, turnRps, turnStartedAt, turnCpu }]) => {
      const result: LoadResult = {
        ...summarise(rounds.flat(), elapsedS, connections, failures),
        turns: rounds.length,
        turnP50s,
        turnSteals,
        turnRps,
        turnStartedAt,
        ...(readCpu ? { turnCpu } : {}),
      };
      if (quiet && stealKnown) {
        const times = quietRounds.flatMap((round) => rounds[round]!).sort((a, b) => a - b);
        result.quiet = {
          maxSteal: quiet.maxSteal,
          rounds: [...quietRounds],
          requests: times.length,
          p50: round2(percentile(times, 50)),
          p95: round2(percentile(times, 95)),
          p99: round2(percentile(times, 99)),
        };
      }
      return [name, result];
    }),
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
        // autocannon stops a timed run at its next sample tick (1 s by default), so a half-second turn ran a whole second.
        ...('duration' in limit ? { sampleInt: 100 } : {}),
        timeout: 120,
        verifyBody: (body) => !String(body).includes('"errors"'),
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  // A timed run's own clock (to 10 ms), from its start to the tick that stopped it.
  const elapsedS = 'duration' in limit ? result.duration : (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { times, elapsedS, failures: result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0) };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function summarise(times: number[], elapsedS: number, connections: number, failures: number): LoadResult {
  times.sort((a, b) => a - b);
  return {
    connections,
    durationS: round2(elapsedS),
    requests: times.length,
    rps: round2(times.length / elapsedS),
    p50: round2(percentile(times, 50)),
    p95: round2(percentile(times, 95)),
    p99: round2(percentile(times, 99)),
    mean: round2(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    failures,
  };
}

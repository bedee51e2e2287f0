import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { loadConfig } from '../src/config';
import { createDriver } from '../src/db/driver';
import { PROJECT_ROOT } from '../src/projectRoot';
import { serverNodeFlags } from '../src/bin/nodeFlags';
import { issueApiKey } from '../src/auth/apiKeys';
import { createLogger } from '../src/logger';
import { createExecutor, createServer } from '../src/server';
import { createSchema } from '../src/schema';
import { compareAnswers, type AnswerComparison } from './lib/answers';
import { buildMix, type BenchQuery } from './lib/queries';
import { mergeWaves, recordingDriver, toWaves, type Wave } from './lib/recorder';
import { MIN_RESPONSES, runInTurns, runLoad, warmUp, type LoadResult } from './lib/load';
import { codeVersion, machineInfo, processMemory, type MachineInfo } from './lib/machine';
import { openStore, storeDir, WORK_DIR, wavesFile as wavesFileOf, type StoreMarker, type StoreSpec } from './lib/stores';
import { measureImport, type ImportComparison } from './lib/importRate';
import { renderResult, writeReadme } from './lib/report';
import { isPartialRun, measurementPlan, runDefaults } from './lib/runKind';
import { jitSecondsOf, settleJit } from './lib/threads';
import { readCpu, type AccountedProcess, type CpuReading } from './lib/cpuAccounts';
import { followGc } from './lib/gcTrace';
import { BENCH_MAX_COST, MODES, SCALES, startTarget, stopTarget, type Mode } from './lib/targets';


/** Everything measured for one query at one scale. */
export interface QueryResult {
  name: string;
  picked: string;
  variables: Record<string, unknown>;
  /** Statements our server sent for one request (extensions.cypherRoundTrips), and how many waves they formed. */
  cypherRoundTrips: number | null;
  waves: number;
  responseBytes: number;
  neo4jGraphqlUnsupported: string | null;
  /** Whether @neo4j/graphql's answer named the same ids (and totals) as ours; null where it cannot ask. */
  neo4jGraphqlAnswer?: AnswerComparison | null;
  runs: Partial<Record<Mode, LoadResult[]>>;
}

export interface ScaleResult {
  label: string;
  store: StoreMarker;
  storeBuiltThisRun: boolean;
  neo4jMemory: { heap: string; pageCache: string };
  /** How long the run loaded Neo4j, after the warm-up, for its JIT to go quiet (bench/lib/threads.ts); null where it could not tell. */
  neo4jJit?: { settled: boolean; seconds: number; lastShare: number } | null;
  /** Peak resident memory of each system's process during this scale, MiB. */
  serverMemory: Partial<Record<Mode, { rssMiB: number; peakMiB: number } | null>>;
  queries: QueryResult[];
  importRate?: ImportComparison;
}

export interface BenchResult {
  startedAt: string;
  quick: boolean;
  machine: MachineInfo;
  settings: {
    concurrency: number[];
    durationS: number;
    warmupS: number;
    turns: number;
    /**
     * Turns at one connection, where the latency targets are judged (since December 5th, 2026; before, `turns`). Each
     * lasts `latencyTurnS`, or, in results without it, as long as another measurement's turn (`durationS ÷ turns`).
     */
    latencyTurns?: number;
    /** Seconds per turn at one connection (since December 5th, 2026, afternoon). */
    latencyTurnS?: number;
    jitWaitS?: number;
    /** Host steal above which a round at one connection is not quiet (a share, 0.1 = 10 %); see runInTurns. */
    maxSteal?: number;
    seed: number;
    role: string;
    nodeFlags?: string[];
  };
  scales: ScaleResult[];
}

const say = (line: string): void => console.log(`[bench] ${line}`);

/**
 * All three systems run compiled (`npm run build`, then `dist/bench/target.js` on plain Node), as `npm start` serves
 * the API: no TypeScript loader, no source maps. Until December 2026 they ran under tsx, whose source maps made
 * every `new Error().stack` (neo4j-driver takes one for each statement it runs) cost more the more TypeScript frames
 * it held, and whose module hook ran on every `require`, Apollo's per-request `require('crypto')` among them.
 */
function buildTargets(): void {
  say('building (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

/** Sends a benchmark request, one at a time, for at least `seconds`, each answer read in full (a slow query's too: none is cut off). */
async function sendFor(request: { url: string; body: string; headers: Record<string, string> }, seconds: number): Promise<void> {
  const until = performance.now() + seconds * 1000;
  do {
    await postJson(request.url, JSON.parse(request.body), request.headers);
  } while (performance.now() < until);
}

/**
 * Runs every query once through the real server in this process, over a driver that records what
 * the resolvers send: the raw floor replays exactly those statements. Fails on any GraphQL error.
 */
async function recordPlans(
  driver: Driver,
  uri: string,
  mix: BenchQuery[],
  auth: Record<string, string>,
): Promise<Map<string, { waves: Wave[]; roundTrips: number | null; bytes: number }>> {
  // The API key is remembered across the whole pass (the longest the config allows): the key read the server
  // makes once per TG_AUTH_CACHE_MS is not part of any query, and a read caught by chance would inflate the floor.
  const config = loadConfig({
    ...process.env,
    NEO4J_URI: uri,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    TG_RATE_LIMIT: '0',
    TG_MAX_COST: BENCH_MAX_COST,
    TG_AUTH_CACHE_MS: '300000',
  });
  const recorder = recordingDriver(driver);
  const server = await createServer({ config, driver: recorder.driver, logger: createLogger(config) });
  const port = await server.listen(0, '127.0.0.1');
  const plans = new Map<string, { waves: Wave[]; roundTrips: number | null; bytes: number }>();
  try {
    for (const query of mix) {
      const url = `http://127.0.0.1:${port}/graphql`;
      await postJson(url, { query: query.query, variables: query.variables }, auth);
      recorder.take();
      const { status, text } = await postJson(url, { query: query.query, variables: query.variables }, auth);
      const statements = recorder.take();
      const body = JSON.parse(text) as { errors?: unknown[]; data?: unknown; extensions?: { cypherRoundTrips?: number } };
      if (status !== 200 || body.errors) throw new Error(`${query.name} failed (${status}): ${text.slice(0, 500)}`);
      plans.set(query.name, { waves: toWaves(statements), roundTrips: body.extensions?.cypherRoundTrips ?? null, bytes: text.length });
      say(`  ${query.name}: ${statements.length} statements in ${toWaves(statements).length} waves, ${text.length} bytes`);
    }
  } finally {
    await server.stop();
  }
  return plans;
}

async function runScale(label: string, spec: StoreSpec, options: { concurrency: number[]; durationS: number; warmupS: number; turns: number; latencyTurns: number; latencyTurnS: number; jitWaitS: number; maxSteal: number; importCheck: boolean; profileDir?: string | undefined; only?: string[] | undefined; traceGc: boolean }): Promise<{ result: ScaleResult; neo4jVersion: string }> {
  const store = await openStore(spec, say);
  const driver = createDriver({ uri: store.neo.uri });
  try {
    const { records } = await driver.executeQuery('CALL dbms.components() YIELD versions, edition RETURN versions[0] + " " + edition AS v');
    const neo4jVersion = String(records[0]?.get('v') ?? 'unknown');
    say(`${label}: ${store.marker.nodes} nodes, ${store.marker.relationships} relationships (${store.built ? `built in ${store.marker.buildMs} ms` : 'reused'})`);
    const config = loadConfig({ ...process.env, NEO4J_URI: store.neo.uri, NODE_ENV: 'test' });
    const { key } = await issueApiKey(createExecutor(driver, config), 'journalist', 'bench');
    const auth = { authorization: `Bearer ${key}` };
    const rootFields = new Set(Object.keys(createSchema().getQueryType()?.getFields() ?? {}));
    const mix = (await buildMix(driver, rootFields)).filter((q) => !options.only || options.only.includes(q.name));
    say(`${label}: mix ${mix.map((q) => q.name).join(', ')}; recording the statements each sends`);
    const plans = await recordPlans(driver, store.neo.uri, mix, auth);
    const wavesFile = wavesFileOf(spec);
    mergeWaves(wavesFile, Object.fromEntries([...plans].map(([name, plan]) => [name, plan.waves])));

    const queries: QueryResult[] = mix.map((q) => ({
      name: q.name,
      picked: q.picked,
      variables: q.variables,
      cypherRoundTrips: plans.get(q.name)?.roundTrips ?? null,
      waves: plans.get(q.name)?.waves.length ?? 0,
      responseBytes: plans.get(q.name)?.bytes ?? 0,
      neo4jGraphqlUnsupported: 'unsupported' in q.neo4jGraphql ? q.neo4jGraphql.unsupported : null,
      runs: {},
    }));
    // All three systems run at once and take turns per measurement, so drifting background load on a
    // shared machine hits them alike.
    const targets = new Map<Mode, { child: ChildProcess; port: number }>();
    const gcLogFds: number[] = [];
    const serverMemory: ScaleResult['serverMemory'] = {};
    let neo4jJit: ScaleResult['neo4jJit'];
    try {
      for (const mode of MODES) {
        // The Node options `npm start` serves the API with, for all three systems alike (README, "Operations").
        const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, mode)}`] : [];
        const traceGc = options.traceGc ? ['--trace-gc-nvp'] : [];
        targets.set(mode, await startTarget(mode, { uri: store.neo.uri, wavesFile, execArgv: [...serverNodeFlags(), ...profile, ...traceGc] }));
      }
      // Where the CPU went in each turn: Neo4j's threads by kind, each system, and this process, which sends the load.
      const accounted: AccountedProcess[] = [
        { name: 'neo4j', pid: store.neo.pid, kind: 'jvm' },
        ...[...targets].flatMap(([mode, { child }]) => (child.pid ? [{ name: mode, pid: child.pid, kind: 'node' as const }] : [])),
        { name: 'load', pid: process.pid },
      ];
      // With --trace-gc, each system's collection pauses too, in seconds, beside its CPU (share of the turn spent paused).
      // Each line as it came, stamped with the time, in the store's directory (bench/.work/…/gc-MODE.log), beside Neo4j's gc.log.
      const gcLogOf = (mode: Mode) => {
        const fd = fs.openSync(path.join(storeDir(spec), `gc-${mode}.log`), 'w');
        gcLogFds.push(fd);
        return (line: string) => fs.writeSync(fd, `${new Date().toISOString()} ${line}\n`);
      };
      const gcOf = new Map(
        [...targets].flatMap(([mode, { child }]) => (options.traceGc && child.stdout ? [[mode, followGc(child.stdout, gcLogOf(mode))] as const] : [])),
      );
      const readAccounts = (): CpuReading | undefined => {
        const reading = readCpu(accounted);
        if (!reading) return undefined;
        for (const [mode, gc] of gcOf) {
          const totals = gc.totals();
          reading[`${mode}:gc-paused`] = (totals.scavengeMs + totals.markCompactMs) / 1000;
          reading[`${mode}:mark-compact`] = totals.markCompactMs / 1000;
        }
        return reading;
      };
      const requestsOf = (q: BenchQuery) =>
        MODES.map((mode) => [mode, requestFor(mode, q, targets.get(mode)!.port, auth)] as const).filter(
          (entry): entry is [Mode, NonNullable<(typeof entry)[1]>] => entry[1] !== null,
        );
      // Every system answers the whole mix once for the warm-up time before anything is measured: otherwise
      // the first query's numbers include the JIT compiling code every query shares (graphql-js, the driver).
      say(`${label}: warming every system on the whole mix`);
      for (const [i, q] of mix.entries()) {
        const answers = new Map<Mode, string>();
        for (const [mode, request] of requestsOf(q)) {
          const check = await postJson(request.url, JSON.parse(request.body), request.headers);
          if (check.status !== 200 || check.text.includes('"errors"')) throw new Error(`${mode} ${q.name} failed (${check.status}): ${check.text.slice(0, 500)}`);
          answers.set(mode, check.text);
          await runLoad({ ...request, connections: 1, durationS: options.warmupS });
        }
        // A baseline that answers less is not a baseline: say so in the report when the answers differ.
        const ours = answers.get('graphql');
        const theirs = answers.get('neo4j-graphql');
        const compared = ours && theirs ? compareAnswers(ours, theirs) : null;
        queries[i]!.neo4jGraphqlAnswer = compared;
        if (compared && !compared.same) say(`${label}: ${q.name}: @neo4j/graphql answered differently: ${JSON.stringify(compared)}`);
      }
      // Then until Neo4j's JIT compiler is quiet: for minutes after it starts, its JVM compiles on up to two threads,
      // and on a two-core machine what is measured then is what the compiler leaves the servers (bench/README.md).
      if (options.jitWaitS > 0) {
        say(`${label}: loading every system on the whole mix until Neo4j's JIT is quiet (at most ${options.jitWaitS} s)`);
        const settling = await settleJit({
          readJitSeconds: () => jitSecondsOf(store.neo.pid),
          pass: async () => {
            for (const q of mix) for (const [, request] of requestsOf(q)) await sendFor(request, 1);
          },
          maxS: options.jitWaitS,
        });
        neo4jJit = settling ? { settled: settling.settled, seconds: Math.round(settling.seconds), lastShare: Math.round(settling.lastShare * 1000) / 1000 } : null;
        say(
          settling
            ? `${label}: Neo4j's JIT ${settling.settled ? 'quiet' : 'still compiling'} after ${Math.round(settling.seconds)} s (share of a core per pass: ${settling.shares.map((share) => share.toFixed(2)).join(' ')})`
            : `${label}: Neo4j's JIT threads cannot be read here (not Linux); the fixed warm-up only`,
        );
      }
      for (const [i, q] of mix.entries()) {
        const requests = requestsOf(q);
        for (const connections of options.concurrency.filter((c) => c <= (q.maxConnections ?? Infinity))) {
          let slow = false;
          for (const [, request] of requests) {
            slow ||= (await warmUp({ ...request, connections, durationS: options.warmupS })) < MIN_RESPONSES;
          }
          // At one connection (the latency targets) the measurement is longer, in many short turns: one turn's p50 moves
          // by a quarter on this host, as much as the target allows, and the host drifts over seconds, so the systems'
          // turns are kept close together in time. Rounds the hypervisor disturbed are taken again, up to as many more.
          const { durationS, turns } = measurementPlan(connections, options);
          const quiet = connections === 1 ? { maxSteal: options.maxSteal, extraRounds: turns } : undefined;
          const runs = await runInTurns(requests, { connections, durationS, turns, slow, ...(quiet ? { quiet } : {}), readCpu: readAccounts });
          for (const [mode, run] of runs) {
            const steals = run.turnSteals?.map((steal) => (steal === null ? '?' : `${Math.round(steal * 100)}%`)).join(' ');
            const quietNote = run.quiet ? `  quiet rounds ${run.quiet.rounds.length} of ${run.turns}${run.quiet.requests ? `: p50 ${run.quiet.p50}` : ''}` : '';
            say(
              `${label} ${mode.padEnd(13)} ${q.name.padEnd(13)} c=${String(connections).padEnd(3)} p50 ${run.p50} ms  p95 ${run.p95}  p99 ${run.p99}  ${run.rps} req/s  ` +
                `turns ${run.turnP50s?.join(' ')}  req/s by turn ${run.turnRps?.map((rate) => Math.round(rate)).join(' ')}  host steal ${steals}${quietNote}${run.failures ? `  FAILURES ${run.failures}` : ''}`,
            );
            (queries[i]!.runs[mode] ??= []).push(run);
          }
        }
      }
      for (const [mode, { child }] of targets) serverMemory[mode] = child.pid ? processMemory(child.pid) : null;
    } finally {
      for (const { child } of targets.values()) await stopTarget(child);
      for (const fd of gcLogFds) fs.closeSync(fd);
    }
    const result: ScaleResult = {
      label,
      store: store.marker,
      storeBuiltThisRun: store.built,
      neo4jMemory: { heap: spec.heap, pageCache: spec.pageCache },
      neo4jJit,
      serverMemory,
      queries,
    };
    if (options.importCheck && spec.dataset === 'synthetic') result.importRate = await measureImport(spec, say);
    return { result, neo4jVersion };
  } finally {
    await driver.close();
    await store.neo.stop();
  }
}

function requestFor(mode: Mode, q: BenchQuery, port: number, auth: Record<string, string>): { url: string; body: string; headers: Record<string, string> } | null {
  if (mode === 'graphql') return { url: `http://127.0.0.1:${port}/graphql`, body: JSON.stringify({ query: q.query, variables: q.variables }), headers: auth };
  if (mode === 'raw') return { url: `http://127.0.0.1:${port}/raw/${encodeURIComponent(q.name)}`, body: '{}', headers: {} };
  if ('unsupported' in q.neo4jGraphql) return null;
  return { url: `http://127.0.0.1:${port}/graphql`, body: JSON.stringify(q.neo4jGraphql), headers: {} };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scales: { type: 'string' },
      seed: { type: 'string', default: '42' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      turns: { type: 'string' },
      'latency-turns': { type: 'string' },
      'latency-turn': { type: 'string' },
      concurrency: { type: 'string' },
      'no-import': { type: 'boolean', default: false },
      'build-only': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'trace-gc': { type: 'boolean', default: false },
      only: { type: 'string' },
      'jit-wait': { type: 'string' },
      'max-steal': { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const defaults = runDefaults(quick);
  const labels = values.scales?.split(',') ?? defaults.scales;
  const seed = Number(values.seed);
  const concurrency = values.concurrency?.split(',').map(Number) ?? defaults.concurrency;
  const durationS = Number(values.duration ?? (quick ? 3 : 10));
  // Long enough for each server's JIT to reach steady state on the query (our server runs far more code than the raw replay).
  const warmupS = Number(values.warmup ?? (quick ? 2 : 3));
  const turns = Number(values.turns ?? (quick ? 3 : 5));
  // At one connection, a full run measures 20 s in 40 turns of half a second (quick: as the others).
  const latencyTurnS = Number(values['latency-turn'] ?? (quick ? durationS / turns : 0.5));
  const latencyTurns = Number(values['latency-turns'] ?? (quick ? turns : 40));
  // At most this long, after the warm-up, for Neo4j's JIT to go quiet (0: not at all).
  const jitWaitS = Number(values['jit-wait'] ?? (quick ? 45 : 180));
  // A round at one connection is quiet when the hypervisor took at most this share of every turn's CPU time (--max-steal 100: all are).
  const maxStealPercent = Number(values['max-steal'] ?? 10);
  if (!Number.isFinite(maxStealPercent) || maxStealPercent < 0 || maxStealPercent > 100) throw new Error(`--max-steal: expected a percentage (0 to 100), got ${values['max-steal']}`);
  const maxSteal = maxStealPercent / 100;
  if (!Number.isFinite(jitWaitS) || jitWaitS < 0) throw new Error(`--jit-wait: expected seconds (0 or more), got ${values['jit-wait']}`);
  if (!Number.isInteger(turns) || turns < 1) throw new Error(`--turns: expected a whole number of at least 1, got ${values.turns}`);
  if (!Number.isInteger(latencyTurns) || latencyTurns < 1) throw new Error(`--latency-turns: expected a whole number of at least 1, got ${values['latency-turns']}`);
  if (!Number.isFinite(latencyTurnS) || latencyTurnS < 0.1) throw new Error(`--latency-turn: expected seconds (at least 0.1), got ${values['latency-turn']}`);
  for (const label of labels) if (!SCALES[label]) throw new Error(`--scales: unknown scale ${label} (known: ${Object.keys(SCALES).join(', ')})`);
  fs.mkdirSync(WORK_DIR, { recursive: true });

  if (values['build-only']) {
    for (const label of labels) {
      const store = await openStore({ ...SCALES[label]!, seed }, say);
      say(`${label}: ${store.marker.nodes} nodes, ${store.marker.relationships} relationships (${store.built ? `built in ${store.marker.buildMs} ms` : 'reused'})`);
      await store.neo.stop();
    }
    return;
  }
  const code = codeVersion();
  buildTargets();
  const startedAt = new Date().toISOString();
  const scales: ScaleResult[] = [];
  let neo4jVersion = 'unknown';
  for (const label of labels) {
    const spec = { ...SCALES[label]!, seed };
    const { result, neo4jVersion: version } = await runScale(label, spec, {
      concurrency,
      durationS,
      warmupS,
      turns,
      latencyTurns,
      latencyTurnS,
      jitWaitS,
      maxSteal,
      importCheck: !values['no-import'] && (quick || label !== '1M'),
      profileDir: values.profile ? path.join(WORK_DIR, 'profiles', label) : undefined,
      traceGc: values['trace-gc'],
      only: values.only?.split(','),
    });
    neo4jVersion = version;
    scales.push(result);
  }
  const result: BenchResult = {
    startedAt,
    quick,
    machine: machineInfo(neo4jVersion, code),
    settings: { concurrency, durationS, warmupS, turns, latencyTurns, latencyTurnS, jitWaitS, maxSteal, seed, role: 'journalist', nodeFlags: [...serverNodeFlags(), ...(values['trace-gc'] ? ['--trace-gc-nvp'] : [])] },
    scales,
  };
  // Partial runs leave the README's tables alone (see isPartialRun); profiling runs (their timings are
  // distorted by the profiler) stay in bench/.work.
  // A run whose servers print their collections (--trace-gc) is not one as deployed either: partial, as a profiled one.
  const partial = isPartialRun({ quick, scales: labels, concurrency, only: values.only?.split(','), profile: values.profile || values['trace-gc'] });
  const resultsDir = values.profile ? WORK_DIR : path.join(PROJECT_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${startedAt.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}${partial ? '-partial' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  say(`results: ${path.relative(PROJECT_ROOT, file)}`);
  console.log(partial ? renderResult(result, file, true) : writeReadme(result, file));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

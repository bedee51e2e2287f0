import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createDriver } from '../src/db/driver';
import { PROJECT_ROOT } from '../src/projectRoot';
import { issueApiKey } from '../src/auth/apiKeys';
import { createExecutor } from '../src/server';
import { createSchema } from '../src/schema';
import { buildMix } from './lib/queries';
import { parseWaves } from './lib/recorder';
import { runLoad } from './lib/load';
import { openStore, wavesFile as wavesFileOf } from './lib/stores';
import { SCALES, startTarget, stopTarget } from './lib/targets';
import { addGc, describeGc, followGc, gcSince, NO_GC, type GcTotals } from './lib/gcTrace';
import { jitSecondsOf, settleJit, threadsOf } from './lib/threads';
import { hostCpu, stealShare } from './lib/host';
import { processMemory } from './lib/machine';

/**
 * `npm run bench:cpu -- A B [C ...] [options]`: the CPU one request costs each of two or more builds of a server, side
 * by side on one store. Each system is `DIR[:MODE[:FLAGS]]`: a compiled tree (`dist`, or a copy of an earlier build, such as
 * `bench/.work/before`), the benchmark target's mode (`graphql`, the default, or `raw`, the replay of the statements
 * `npm run bench` recorded at that scale) and Node options separated by commas.
 *
 *     npm run build && cp -r dist bench/.work/before      # the build to compare against
 *     (edit, then) npm run build
 *     npm run bench:cpu -- bench/.work/before dist --query search --scale 100k
 *     npm run bench:cpu -- dist dist:graphql:--max-semi-space-size=32
 *
 * All servers run at once (as in `npm run bench`); after a warm-up, autocannon loads one at a time for `--seconds`
 * per round, the systems taking turns in rotation (A B C, B C A, ...; two alternate), and each thread's CPU time is
 * read from /proc before and after.
 * After the warm-up, the servers are loaded in turns until Neo4j's own JIT is quiet (as in `npm run bench`), and the
 * first round is still left out of the totals. Main-thread CPU per request is
 * steadier than latency on a shared machine (runs of the same build agree within about ±20 µs), so it is the number
 * to compare; the latency printed with it is the same load's p50.
 */
const USAGE =
  'usage: npm run bench:cpu -- DIR[:MODE[:FLAGS]] DIR[:MODE[:FLAGS]] [more systems] [--query search] [--scale 100k] [--rounds 4] [--connections 8] [--seconds 8] [--warmup 30] [--gc]';
interface System {
  label: string;
  raw: boolean;
  child: ChildProcess;
  port: number;
  /** With --gc: the collections the process has reported so far. */
  gc?: () => GcTotals;
}

/** CPU seconds of a process's main thread and of all its threads, from /proc. */
function cpuOf(pid: number): { main: number; all: number } {
  const threads = threadsOf(pid);
  return {
    main: threads.find((thread) => thread.tid === pid)?.seconds ?? 0,
    all: threads.reduce((sum, thread) => sum + thread.seconds, 0),
  };
}

async function startSystem(spec: string, uri: string, wavesFile: string, traceGc: boolean, queryName: string): Promise<System> {
  const [dir = '', mode = 'graphql', flags = ''] = spec.split(':');
  const target = path.resolve(PROJECT_ROOT, dir, 'bench', 'target.js');
  if (!fs.existsSync(target)) throw new Error(`${spec}: no ${path.relative(PROJECT_ROOT, target)} (run npm run build, or copy a build there)`);
  if (mode !== 'graphql' && mode !== 'raw') throw new Error(`${spec}: the mode must be graphql or raw`);
  if (mode === 'raw' && !(fs.existsSync(wavesFile) && queryName in parseWaves(fs.readFileSync(wavesFile, 'utf8')))) {
    throw new Error(`${spec}: no statements of ${queryName} in ${path.relative(PROJECT_ROOT, wavesFile)}; record them first with npm run bench at this scale (\`--only ${queryName}\` is enough)`);
  }
  const execArgv = [...(flags ? flags.split(',') : []), ...(traceGc ? ['--trace-gc-nvp'] : [])];
  const { child, port } = await startTarget(mode, { uri, wavesFile, execArgv, dir });
  const gc = traceGc && child.stdout ? followGc(child.stdout).totals : undefined;
  return { label: spec, raw: mode === 'raw', child, port, ...(gc ? { gc } : {}) };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      query: { type: 'string', default: 'search' },
      scale: { type: 'string', default: '100k' },
      rounds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '30' },
      gc: { type: 'boolean', default: false },
    },
  });
  const specs = positionals;
  const scale = SCALES[values.scale];
  if (specs.length < 2 || !scale) throw new Error(USAGE);
  const [rounds, connections, seconds, warmup] = [values.rounds, values.connections, values.seconds, values.warmup].map(Number) as [number, number, number, number];
  const spec = { ...scale, seed: 42 };
  const store = await openStore(spec, (line) => console.log(`[cpu] ${line}`));
  const driver = createDriver({ uri: store.neo.uri });
  const systems: System[] = [];
  try {
    const config = loadConfig({ ...process.env, NEO4J_URI: store.neo.uri, NODE_ENV: 'test' });
    const { key } = await issueApiKey(createExecutor(driver, config), 'journalist', 'bench:cpu');
    const rootFields = new Set(Object.keys(createSchema().getQueryType()?.getFields() ?? {}));
    const query = (await buildMix(driver, rootFields)).find((q) => q.name === values.query);
    if (!query) throw new Error(`no query named ${values.query} in the mix`);
    const wavesFile = wavesFileOf(spec);
    for (const system of specs) systems.push(await startSystem(system, store.neo.uri, wavesFile, values.gc, query.name));
    const requestOf = (system: System) => ({
      url: `http://127.0.0.1:${system.port}${system.raw ? `/raw/${query.name}` : '/graphql'}`,
      body: JSON.stringify({ query: query.query, variables: query.variables }),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      connections,
    });
    // A system that cannot answer (the replay has no statements for this query, the server fails it) would be
    // measured at the speed of its error page: stop instead.
    for (const system of systems) {
      const request = requestOf(system);
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
      const text = await response.text();
      if (response.status !== 200 || text.includes('"errors"')) {
        throw new Error(`${system.label} does not answer ${query.name} (${response.status}): ${text.slice(0, 300)}`);
      }
    }
    for (const system of systems) await runLoad({ ...requestOf(system), durationS: warmup });
    // Then until Neo4j's JIT is quiet, as `npm run bench` does (bench/lib/threads.ts), at most 3 minutes.
    const settling = await settleJit({
      readJitSeconds: () => jitSecondsOf(store.neo.pid),
      pass: async () => {
        for (const system of systems) await runLoad({ ...requestOf(system), durationS: 2 });
      },
      maxS: 180,
    });
    if (settling) console.log(`Neo4j's JIT ${settling.settled ? 'quiet' : 'still compiling'} after ${Math.round(settling.seconds)} s`);
    const totals = systems.map(() => ({ main: 0, all: 0, requests: 0, gc: NO_GC }));
    for (let round = 0; round < rounds; round++) {
      for (const index of systems.map((_, i) => (i + round) % systems.length)) {
        const system = systems[index]!;
        const gcBefore = system.gc?.();
        const before = cpuOf(system.child.pid!);
        const hostBefore = hostCpu();
        const load = await runLoad({ ...requestOf(system), durationS: seconds });
        const steal = stealShare(hostBefore, hostCpu());
        const after = cpuOf(system.child.pid!);
        const gc = gcBefore && system.gc ? gcSince(gcBefore, system.gc()) : undefined;
        const [main, all] = [after.main - before.main, after.all - before.all];
        const perRequest = (s: number) => `${Math.round((s / load.requests) * 1e6)} µs`;
        console.log(
          `round ${round} ${system.label}: ${load.rps} req/s, p50 ${load.p50} ms, CPU per request ${perRequest(main)} main thread, ${perRequest(all)} all threads, host steal ${steal === undefined ? '?' : `${Math.round(steal * 100)} %`}${round === 0 ? ' (warming, left out)' : ''}`,
        );
        if (gc) console.log(`  ${describeGc(gc, load.requests)}`);
        if (load.failures > 0) throw new Error(`${system.label}: ${load.failures} of ${load.requests} answers failed in round ${round}`);
        if (round === 0) continue;
        const total = totals[index]!;
        total.main += main;
        total.all += all;
        total.requests += load.requests;
        if (gc) total.gc = addGc(total.gc, gc);
      }
    }
    systems.forEach((system, i) => {
      const { main, all, requests, gc } = totals[i]!;
      const memory = system.child.pid === undefined ? null : processMemory(system.child.pid);
      console.log(
        `${system.label}: ${Math.round((main / requests) * 1e6)} µs main thread, ${Math.round((all / requests) * 1e6)} µs all threads per request (${requests} requests); RSS ${memory ? `${memory.rssMiB} MiB (peak ${memory.peakMiB})` : '?'}`,
      );
      if (system.gc) console.log(`  ${describeGc(gc, requests)}`);
    });
  } finally {
    for (const system of systems) await stopTarget(system.child);
    await driver.close();
    await store.neo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

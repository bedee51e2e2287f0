import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { findFreePort, sleep } from '../src/db/localNeo4j';
import { serverNodeFlags } from '../src/bin/nodeFlags';

/**
 * `npm run load [-- --seconds 60 --connections 64 --sample-every 10 --heap-tolerance-mb 10 --heap-tolerance-pct 10]`:
 * a bounded load test on loopback only. Starts the API as `npm start` does (`npm run build`, then
 * `dist/src/bin/start.js`: NEO4J_URI or the local instance, seeded when empty) as a child process on a
 * free 127.0.0.1 port with rate limiting off, warms it up, then runs autocannon with a mix of GraphQL reads
 * at saturating concurrency.
 *
 * Memory is measured as the heap used after a forced full GC (the retained memory; RSS alone mostly
 * shows V8 growing its heap to the load): the server runs with `--expose-gc` and the bench-only preload
 * `bench/gcProbe.cjs`, which answers IPC requests; nothing is added to the application. Samples: after
 * warm-up (idle), every `--sample-every` seconds under load, and after the load (idle again).
 *
 * Fails (exit 1) on any non-2xx answer, 5xx, GraphQL error, socket error or timeout, or when the idle
 * heap-after-GC grew from the first to the last sample by more than both tolerances (10 MB and 10 %).
 */

const QUERIES = [
  '{ compounds(first: 20) { totalCount nodes { id name country status } } }',
  '{ persons(first: 20) { totalCount nodes { id name } } }',
  '{ organisations(first: 20) { nodes { id name } } }',
  '{ search(query: "compound", first: 10) { edges { score node { id } } } }',
  '{ events(first: 20) { nodes { id } } }',
];

interface MemorySample {
  label: string;
  /** Seconds since the measured run started (negative: before it). */
  t: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
}

/** Asks the server's gcProbe for `process.memoryUsage()` after a full GC. */
function gcSampler(server: ChildProcess): (label: string, t: number) => Promise<MemorySample> {
  let next = 0;
  const waiting = new Map<number, (usage: NodeJS.MemoryUsage) => void>();
  server.on('message', (message: { type?: string; id?: number } & NodeJS.MemoryUsage) => {
    if (message?.type !== 'tg-gc-sample' || typeof message.id !== 'number') return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return (label, t) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the server did not answer the GC sample request (is bench/gcProbe.cjs preloaded?)'));
      }, 30_000);
      waiting.set(id, (usage) => {
        clearTimeout(timer);
        resolve({ label, t, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, rss: usage.rss, external: usage.external });
      });
      server.send({ type: 'tg-gc-sample', id });
    });
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)} MB`;

/** Least-squares slope of heap-after-GC over time, in MB per minute. */
function slopeMbPerMinute(samples: readonly MemorySample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanT = samples.reduce((s, x) => s + x.t, 0) / n;
  const meanH = samples.reduce((s, x) => s + x.heapUsed, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.t - meanT) * (x.heapUsed - meanH);
    den += (x.t - meanT) ** 2;
  }
  return den === 0 ? 0 : ((num / den) * 60) / 1024 / 1024;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      connections: { type: 'string', default: '64' },
      'sample-every': { type: 'string', default: '10' },
      'heap-tolerance-mb': { type: 'string', default: '10' },
      'heap-tolerance-pct': { type: 'string', default: '10' },
    },
    strict: true,
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const sampleEvery = Number(values['sample-every']);
  const toleranceMb = Number(values['heap-tolerance-mb']);
  const tolerancePct = Number(values['heap-tolerance-pct']);
  if (!(seconds > 0 && seconds <= 600) || !(connections > 0 && connections <= 1000)) {
    throw new Error('--seconds must be in 1..600 and --connections in 1..1000');
  }
  if (!(sampleEvery >= 1) || !(toleranceMb >= 0) || !(tolerancePct >= 0)) {
    throw new Error('--sample-every must be >= 1, the tolerances >= 0');
  }
  const root = path.join(__dirname, '..');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(
    process.execPath,
    [...serverNodeFlags(), '--expose-gc', '--require', path.join(__dirname, 'gcProbe.cjs'), path.join(root, 'dist', 'src', 'bin', 'start.js')],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TG_RATE_LIMIT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const sample = gcSampler(server);
  const loadBefore = os.loadavg();
  try {
    const deadline = Date.now() + 180_000;
    while ((await fetch(`${url}/ready`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error('the API did not become ready');
      await sleep(500);
    }
    for (const query of QUERIES) {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { errors?: unknown[] };
      if (res.status !== 200 || body.errors) throw new Error(`warm-up query failed: ${query}: ${JSON.stringify(body)}`);
    }
    // Warm-up: JIT, query plan caches, connection pool.
    await autocannon({ url: `${url}/graphql`, connections, duration: Math.min(10, seconds), requests: requestsOf({ errors: 0 }) });
    await sleep(1_000);
    const samples: MemorySample[] = [await sample('idle, after warm-up', 0)];

    const graphqlErrors = { errors: 0 };
    const started = Date.now();
    const running = autocannon({ url: `${url}/graphql`, connections, duration: seconds, requests: requestsOf(graphqlErrors) });
    const sampling: Promise<void>[] = [];
    const timer = setInterval(() => {
      const t = (Date.now() - started) / 1000;
      if (t < seconds - 1) sampling.push(sample('under load', Math.round(t)).then((s) => void samples.push(s)));
    }, sampleEvery * 1000);
    const result = await running;
    clearInterval(timer);
    await Promise.all(sampling);
    await sleep(2_000);
    samples.push(await sample('idle, after load', Math.round((Date.now() - started) / 1000)));
    const loadAfter = os.loadavg();

    const statusCounts = Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [Number(code), Number(stat.count)] as const);
    const fiveXx = statusCounts.filter(([code]) => code >= 500).reduce((sum, [, count]) => sum + count, 0);
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const growth = last.heapUsed - first.heapUsed;
    const allowed = Math.max(toleranceMb * 1024 * 1024, (first.heapUsed * tolerancePct) / 100);
    console.log(
      [
        `load: ${seconds} s, ${connections} connections, ${QUERIES.length} queries in rotation (node ${process.version}, ${os.cpus().length} CPUs)`,
        `load average: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
        `requests: ${result.requests.total} (${result.requests.average.toFixed(0)}/s average)`,
        `latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
        `status codes: ${statusCounts.map(([code, count]) => `${code}: ${count}`).join(', ') || 'none'}`,
        `non-2xx: ${result.non2xx}, 5xx: ${fiveXx}, GraphQL errors: ${graphqlErrors.errors}, socket errors: ${result.errors}, timeouts: ${result.timeouts}`,
        'server memory (after a full GC):',
        '      t  heapUsed  heapTotal      rss  sample',
        ...samples.map(
          (s) => `${String(s.t).padStart(5)} s ${mb(s.heapUsed).padStart(6)} MB ${mb(s.heapTotal).padStart(6)} MB ${mb(s.rss).padStart(6)} MB  ${s.label}`,
        ),
        `heap after GC, idle to idle: ${mb(first.heapUsed)} -> ${mb(last.heapUsed)} MB (${signedMb(growth)}, allowed +${mb(allowed)} MB); ` +
          `trend over all samples ${slopeMbPerMinute(samples).toFixed(2)} MB/min`,
        `RSS: ${mb(first.rss)} -> ${mb(last.rss)} MB (${signedMb(last.rss - first.rss)})`,
      ].join('\n'),
    );
    if (result.non2xx > 0 || fiveXx > 0 || graphqlErrors.errors > 0 || result.errors > 0 || result.timeouts > 0) {
      console.error('FAIL: the API answered with errors under load');
      process.exitCode = 1;
    }
    if (growth > allowed) {
      console.error(`FAIL: heap used after GC grew by ${signedMb(growth)} (more than ${mb(allowed)} MB): a leak?`);
      process.exitCode = 1;
    }
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!stopped) {
        console.error('FAIL: the API did not exit within 20 s of SIGTERM; killed');
        server.kill('SIGKILL');
        process.exitCode = 1;
      }
    }
  }
}

/** The request mix; `onResponse` counts 200 answers that carry GraphQL `errors`. */
function requestsOf(counter: { errors: number }): autocannon.Request[] {
  return QUERIES.map((query) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    onResponse: (_status: number, body: string) => {
      if (body.includes('"errors":')) counter.errors += 1;
    },
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { findFreePort, sleep } from '../src/db/localNeo4j';

/**
 * `npm run load [-- --seconds 60 --connections 64]`: a bounded load test on loopback only. Starts the API
 * (`src/bin/start.ts`, same Neo4j resolution as `npm start`: NEO4J_URI or the local instance, seeded when
 * empty) as a child process on a free 127.0.0.1 port with rate limiting off, warms it up, then runs
 * autocannon with a mix of GraphQL reads at saturating concurrency. Fails (exit 1) on any non-2xx
 * answer, error or timeout; reports requests/s, latency percentiles and the server's RSS before and after.
 */

const QUERIES = [
  '{ compounds(first: 20) { totalCount nodes { id name country status } } }',
  '{ persons(first: 20) { totalCount nodes { id name } } }',
  '{ organisations(first: 20) { nodes { id name } } }',
  '{ search(query: "compound", first: 10) { edges { score node { id } } } }',
  '{ events(first: 20) { nodes { id } } }',
];

async function rssOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^tg_process_resident_memory_bytes (\S+)$/m.exec(text);
  if (!match?.[1]) throw new Error('no tg_process_resident_memory_bytes in /metrics');
  return Number(match[1]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '64' } },
    strict: true,
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!(seconds > 0 && seconds <= 600) || !(connections > 0 && connections <= 1000)) {
    throw new Error('--seconds must be in 1..600 and --connections in 1..1000');
  }
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, '..', 'src', 'bin', 'start.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TG_RATE_LIMIT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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
    await autocannon({ url: `${url}/graphql`, connections, duration: Math.min(10, seconds), requests: requestsOf() });
    const rssBefore = await rssOf(url);
    const result = await autocannon({ url: `${url}/graphql`, connections, duration: seconds, requests: requestsOf() });
    await sleep(2_000);
    const rssAfter = await rssOf(url);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      [
        `load: ${seconds} s, ${connections} connections, ${QUERIES.length} queries in rotation`,
        `requests: ${result.requests.total} (${result.requests.average.toFixed(0)}/s average)`,
        `latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
        `non-2xx: ${result.non2xx}, errors: ${result.errors}, timeouts: ${result.timeouts}`,
        `server RSS: ${mb(rssBefore)} before, ${mb(rssAfter)} after (${rssAfter >= rssBefore ? '+' : ''}${mb(rssAfter - rssBefore)})`,
      ].join('\n'),
    );
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      console.error('FAIL: the API answered with errors under load');
      process.exitCode = 1;
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

function requestsOf(): autocannon.Request[] {
  return QUERIES.map((query) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

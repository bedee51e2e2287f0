import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import type { StoreSpec } from './stores';

/** The systems under test: our server, the raw-Cypher floor, and @neo4j/graphql. */
export const MODES = ['graphql', 'raw', 'neo4j-graphql'] as const;
export type Mode = (typeof MODES)[number];

/** The scales a run can measure: each a store of its own, with Neo4j's heap and page cache sized for it. */
export const SCALES: Record<string, Omit<StoreSpec, 'seed'>> = {
  '10k': { dataset: 'synthetic', scale: 10_000, heap: '1g', pageCache: '1g' },
  '100k': { dataset: 'synthetic', scale: 100_000, heap: '2g', pageCache: '2g' },
  '1M': { dataset: 'synthetic', scale: 1_000_000, heap: '4g', pageCache: '4g' },
  demo: { dataset: 'demo', scale: 0, heap: '1g', pageCache: '512m' },
};

/**
 * graphql-armor's cost is exponential in depth (x1.5 per level) and blind to list sizes: the nested list
 * (depth 9) costs ~1M against a default limit of 5000, so the benchmark servers run with the highest allowed.
 */
export const BENCH_MAX_COST = '1000000';

/**
 * Starts one system under test (`bench/target.ts`, compiled, under `dir`: `dist` unless a copy of another build)
 * in its own process, with production settings and `execArgv` as its Node options; resolves with its port.
 */
export function startTarget(
  mode: Mode,
  options: { uri: string; wavesFile: string; execArgv: string[]; dir?: string },
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.resolve(PROJECT_ROOT, options.dir ?? 'dist', 'bench', 'target.js'), [], {
      execArgv: options.execArgv,
      // Production settings, as deployed (no extensions.cypherRoundTrips: the recording pass counts statements).
      env: {
        ...process.env,
        BENCH_MODE: mode,
        NEO4J_URI: options.uri,
        NODE_ENV: 'production',
        TG_PSEUDONYM_SECRET: 'benchmark-only-pseudonym-secret',
        LOG_LEVEL: 'warn',
        TG_RATE_LIMIT: '0',
        TG_MAX_COST: BENCH_MAX_COST,
        BENCH_WAVES_FILE: options.wavesFile,
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let buffer = '';
    const findPort = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
      if (!line) return;
      // Whatever the target prints after (a GC trace, with bench:cpu --gc) is for other listeners, and not kept here.
      child.stdout?.off('data', findPort);
      child.stdout?.resume();
      resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    };
    child.stdout?.on('data', findPort);
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${String(code)}`)));
  });
}

/** Stops a system started by {@link startTarget} and waits for its process to exit. */
export async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

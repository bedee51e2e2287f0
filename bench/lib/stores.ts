import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDriver } from '../../src/db/driver';
import { findFreePort, startNeo4j, type RunningNeo4j } from '../../src/db/localNeo4j';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { SYNTHETIC_GENERATOR_VERSION } from '../../seed/synthetic/generate';

/** Where benchmark stores live (git-ignored). */
export const WORK_DIR = path.join(PROJECT_ROOT, 'bench', '.work');

/** One benchmark graph: which data, how big, and the Neo4j memory settings to serve it. */
export interface StoreSpec {
  /** `synthetic` at `scale` nodes with `seed`; `demo` is the small fictional seed (for trying the harness). */
  dataset: 'synthetic' | 'demo';
  scale: number;
  seed: number;
  heap: string;
  pageCache: string;
}

/** What the marker file of a built store says. */
export interface StoreMarker {
  dataset: string;
  scale: number;
  seed: number;
  nodes: number;
  relationships: number;
  /** Wall time of the load through our importer (the seed command), in ms. */
  buildMs: number;
  builtAt: string;
  /**
   * What version of the data it holds: the synthetic generator's (`SYNTHETIC_GENERATOR_VERSION`), or the SHA-256 of
   * seed/demo/demo.json. A store built from other data is built again; markers written before December 5th, 2026 have none.
   */
  data?: string;
}

/** The version of the data a store of `spec` is built from (see {@link StoreMarker.data}). */
function dataVersion(spec: StoreSpec): string {
  return spec.dataset === 'demo'
    ? createHash('sha256').update(fs.readFileSync(path.join(PROJECT_ROOT, 'seed', 'demo', 'demo.json'))).digest('hex')
    : `synthetic-${SYNTHETIC_GENERATOR_VERSION}`;
}

export interface OpenStore {
  neo: RunningNeo4j;
  marker: StoreMarker;
  /** True when this run built the store (false: reused). */
  built: boolean;
}

/** The folder of a store, named after what it holds, so a different scale or seed never reuses it. */
export function storeDir(spec: StoreSpec): string {
  return path.join(WORK_DIR, spec.dataset === 'demo' ? 'demo' : `synthetic-${spec.scale}-seed${spec.seed}`);
}

/**
 * The statements `npm run bench` recorded on a store, by query (the raw replay serves them, and `npm run bench:cpu`
 * replays them): one file per store, as the ids in them are that store's. A run with `--only` re-records its queries
 * and keeps the others' ({@link mergeWaves}).
 */
export function wavesFile(spec: StoreSpec): string {
  return path.join(WORK_DIR, `waves-${path.basename(storeDir(spec))}.json`);
}

/** Runs a command, streaming its output with a prefix; rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString().split(/\r?\n|\r/)) if (line.trim()) console.log(`${prefix}${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}`))));
  });
}

/**
 * Starts a dedicated Neo4j on the store of `spec`, building it first when its marker is missing or names other data
 * (a half-built or stale store is wiped). The build runs the project's own seed command against the store.
 */
export async function openStore(spec: StoreSpec, say: (line: string) => void): Promise<OpenStore> {
  const dir = storeDir(spec);
  const markerFile = path.join(dir, 'store.json');
  const home = path.join(dir, 'neo4j');
  const existing = fs.existsSync(markerFile) ? (JSON.parse(fs.readFileSync(markerFile, 'utf8')) as StoreMarker) : undefined;
  const data = dataVersion(spec);
  const reusable = existing && existing.dataset === spec.dataset && existing.scale === spec.scale && existing.seed === spec.seed && existing.data === data;
  if (!reusable) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const port = await findFreePort();
  say(`Neo4j for ${path.basename(dir)} on port ${port} (heap ${spec.heap}, page cache ${spec.pageCache})`);
  // Every collection's pause, with the wall-clock time, to line up with the turns' `turnStartedAt` (bench/README.md).
  const gcLog = path.join(home, 'logs', 'gc.log');
  fs.mkdirSync(path.dirname(gcLog), { recursive: true });
  const jvmFlags = [`-Xlog:gc:file=${gcLog}:time,uptime:filecount=4,filesize=20m`];
  const neo = await startNeo4j({ home, port, heap: spec.heap, pageCache: spec.pageCache, say, timeoutMs: 600_000, jvmFlags });
  if (reusable) return { neo, marker: existing, built: false };
  try {
    const args =
      spec.dataset === 'demo'
        ? ['tsx', 'src/bin/seed.ts', '--dataset', 'demo']
        : ['tsx', 'src/bin/seed.ts', '--dataset', 'synthetic', '--scale', String(spec.scale), '--seed', String(spec.seed)];
    say(`Building: npx ${args.join(' ')}`);
    const started = performance.now();
    await runCommand('npx', args, { ...process.env, NEO4J_URI: neo.uri, NODE_ENV: 'development', LOG_LEVEL: 'warn' }, '  [seed] ');
    const buildMs = Math.round(performance.now() - started);
    const counts = await countStore(neo.uri);
    const marker: StoreMarker = { dataset: spec.dataset, scale: spec.scale, seed: spec.seed, ...counts, buildMs, builtAt: new Date().toISOString(), data };
    fs.writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    return { neo, marker, built: true };
  } catch (error) {
    await neo.stop();
    throw error;
  }
}

async function countStore(uri: string): Promise<{ nodes: number; relationships: number }> {
  const driver = createDriver({ uri });
  try {
    const { records } = await driver.executeQuery(
      'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
    );
    const row = records[0]?.toObject() as { nodes: number; relationships: number } | undefined;
    return { nodes: row?.nodes ?? 0, relationships: row?.relationships ?? 0 };
  } finally {
    await driver.close();
  }
}

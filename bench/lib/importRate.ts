import fs from 'node:fs';
import path from 'node:path';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { loadConfig } from '../../src/config';
import { createDriver } from '../../src/db/driver';
import { findFreePort, startNeo4j } from '../../src/db/localNeo4j';
import { migrate } from '../../src/db/migrations';
import { createExecutor } from '../../src/server';
import { seedSynthetic } from '../../seed/synthetic/seedSynthetic';
import { recordingDriver, type RecordedStatement } from './recorder';
import { WORK_DIR, type StoreSpec } from './stores';

/** Our importer against raw batched UNWIND through neo4j-driver, on the same rows into empty stores. */
export interface ImportComparison {
  /** Records the generator yields (nodes, relationships, events with participants, claims). */
  rows: number;
  nodes: number;
  /** The faster of the system's two loads. */
  oursMs: number;
  rawMs: number;
  /** Each load's time, in the order they ran within each system (ours first and last, raw between). */
  loadsMs?: { ours: number[]; raw: number[] };
  oursRowsPerS: number;
  rawRowsPerS: number;
  /** ours ÷ raw rate. */
  ratio: number;
  method: string;
}

async function freshNeo4j(name: string, spec: StoreSpec) {
  const home = path.join(WORK_DIR, name);
  fs.rmSync(home, { recursive: true, force: true });
  return startNeo4j({ home, port: await findFreePort(), heap: spec.heap, pageCache: spec.pageCache, timeoutMs: 600_000 });
}

/** Replays recorded transactions through the driver: the same statements, parameters and transaction boundaries. */
async function replay(driver: Driver, transactions: RecordedStatement[][]): Promise<void> {
  for (const statements of transactions) {
    const mode = statements[0]?.mode;
    const session = driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
    try {
      const work = async (tx: ManagedTransaction) => {
        for (const s of statements) await tx.run(s.cypher, s.params);
      };
      await (mode === 'READ' ? session.executeRead(work) : session.executeWrite(work));
    } finally {
      await session.close();
    }
  }
}

/** One load into a fresh, migrated, empty store: its time (migration excluded) and the nodes it left. */
async function timedLoad(name: string, spec: StoreSpec, load: (driver: Driver) => Promise<void>): Promise<{ ms: number; nodes: number }> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const neo = await freshNeo4j(name, spec);
  const driver = createDriver({ uri: neo.uri });
  try {
    await migrate(createExecutor(driver, config));
    const started = performance.now();
    await load(driver);
    const ms = performance.now() - started;
    const { records } = await driver.executeQuery('MATCH (n) RETURN count(n) AS n', {}, { routing: 'READ' });
    return { ms, nodes: records[0]?.get('n') as number };
  } finally {
    await driver.close();
    await neo.stop();
    fs.rmSync(path.join(WORK_DIR, name), { recursive: true, force: true });
  }
}

/**
 * Loads the synthetic graph of `spec` four times, each into a fresh, migrated, empty store, in the order
 * ours, raw, raw, ours:
 * - ours is our importer (seedSynthetic: validation, normalisation, batched UNWIND MERGE in one write
 *   transaction per 5000 records); its first load records every statement it sends;
 * - raw is those statements, with the same rows and the same transaction boundaries, replayed straight
 *   through neo4j-driver.
 * The ratio is the raw time over ours, each the faster of its two loads: the cost of everything our importer
 * does on top of the Cypher it sends. The symmetric order gives each system an early and a late turn while
 * this machine's speed drifts (up to 2x over minutes); until December 2026 each was loaded once, one after
 * the other, and two runs of the same code at 100k gave 0.93 and 0.74. Every load must leave the same
 * number of nodes.
 */
export async function measureImport(spec: StoreSpec, say: (line: string) => void): Promise<ImportComparison> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  let recorded: RecordedStatement[] = [];
  let rows = 0;
  let nodes = 0;
  const ours = async (record: boolean) =>
    timedLoad('import-ours', spec, async (driver) => {
      const recorder = record ? recordingDriver(driver) : undefined;
      const summary = await seedSynthetic(createExecutor(recorder?.driver ?? driver, config), { scale: spec.scale, seed: spec.seed });
      if (recorder) recorded = recorder.take();
      const w = summary.written;
      nodes = w.source + w.person + w.organisation + w.compound + w.event;
      rows = Object.values(w).reduce((a, b) => a + b, 0);
    });
  const first = await ours(true);
  const transactions = new Map<number, RecordedStatement[]>();
  for (const statement of recorded) {
    if (!transactions.has(statement.transaction)) transactions.set(statement.transaction, []);
    transactions.get(statement.transaction)!.push(statement);
  }
  const raw = async () => timedLoad('import-raw', spec, (driver) => replay(driver, [...transactions.values()]));
  const raw1 = await raw();
  const raw2 = await raw();
  const second = await ours(false);
  const loads = { ours: [first, second], raw: [raw1, raw2] };
  const counts = new Set([...loads.ours, ...loads.raw].map((l) => l.nodes));
  if (counts.size !== 1) throw new Error(`the four loads left different numbers of nodes: ${[...counts].join(', ')}`);
  // The faster load of each: noise on this machine only adds time (one 10k replay took 28.4 s against 18.5 s for the other).
  const oursMs = Math.min(first.ms, second.ms);
  const rawMs = Math.min(raw1.ms, raw2.ms);
  const result: ImportComparison = {
    rows,
    nodes,
    oursMs: Math.round(oursMs),
    rawMs: Math.round(rawMs),
    oursRowsPerS: Math.round(rows / (oursMs / 1000)),
    rawRowsPerS: Math.round(rows / (rawMs / 1000)),
    ratio: Math.round((rawMs / oursMs) * 100) / 100,
    loadsMs: { ours: loads.ours.map((l) => Math.round(l.ms)), raw: loads.raw.map((l) => Math.round(l.ms)) },
    method: `seedSynthetic (batch 5000) vs replay of its ${recorded.length} statements in ${transactions.size} transactions through neo4j-driver, each into a fresh store, in the order ours, raw, raw, ours`,
  };
  say(`import: ${rows} rows, ours ${result.oursRowsPerS} rows/s, raw ${result.rawRowsPerS} rows/s (ratio ${result.ratio})`);
  return result;
}

import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
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
  oursMs: number;
  rawMs: number;
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

/**
 * Loads the synthetic graph of `spec` twice, each into a fresh, migrated, empty store:
 * (1) through our importer (seedSynthetic: validation, normalisation, batched UNWIND MERGE in one write
 * transaction per 5000 records), recording every statement it sends; (2) the same statements, with the
 * same rows and the same transaction boundaries, replayed straight through neo4j-driver. The ratio is the
 * cost of everything our importer does on top of the Cypher it sends.
 */
export async function measureImport(spec: StoreSpec, say: (line: string) => void): Promise<ImportComparison> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  let recorded: RecordedStatement[] = [];
  let rows = 0;
  let nodes = 0;
  let oursMs = 0;
  {
    const neo = await freshNeo4j('import-ours', spec);
    const driver = createDriver({ uri: neo.uri });
    try {
      await migrate(createExecutor(driver, config));
      const recorder = recordingDriver(driver);
      const started = performance.now();
      const summary = await seedSynthetic(createExecutor(recorder.driver, config), { scale: spec.scale, seed: spec.seed });
      oursMs = performance.now() - started;
      recorded = recorder.take();
      const w = summary.written;
      nodes = w.source + w.person + w.organisation + w.compound + w.event;
      rows = Object.values(w).reduce((a, b) => a + b, 0);
    } finally {
      await driver.close();
      await neo.stop();
    }
  }
  const transactions = new Map<number, RecordedStatement[]>();
  for (const statement of recorded) {
    if (!transactions.has(statement.transaction)) transactions.set(statement.transaction, []);
    transactions.get(statement.transaction)!.push(statement);
  }
  let rawMs = 0;
  {
    const neo = await freshNeo4j('import-raw', spec);
    const driver = createDriver({ uri: neo.uri });
    try {
      await migrate(createExecutor(driver, config));
      const started = performance.now();
      for (const statements of transactions.values()) {
        const session = driver.session({ defaultAccessMode: statements[0]?.mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
        try {
          const work = async (tx: { run: (c: string, p: Record<string, unknown>) => Promise<unknown> }) => {
            for (const s of statements) await tx.run(s.cypher, s.params);
          };
          await (statements[0]?.mode === 'READ' ? session.executeRead(work) : session.executeWrite(work));
        } finally {
          await session.close();
        }
      }
      rawMs = performance.now() - started;
    } finally {
      await driver.close();
      await neo.stop();
    }
  }
  fs.rmSync(path.join(WORK_DIR, 'import-ours'), { recursive: true, force: true });
  fs.rmSync(path.join(WORK_DIR, 'import-raw'), { recursive: true, force: true });
  const result: ImportComparison = {
    rows,
    nodes,
    oursMs: Math.round(oursMs),
    rawMs: Math.round(rawMs),
    oursRowsPerS: Math.round(rows / (oursMs / 1000)),
    rawRowsPerS: Math.round(rows / (rawMs / 1000)),
    ratio: Math.round((rawMs / oursMs) * 100) / 100,
    method: `seedSynthetic (batch 5000) vs replay of its ${recorded.length} statements in ${transactions.size} transactions through neo4j-driver, each into a fresh store`,
  };
  say(`import: ${rows} rows, ours ${result.oursRowsPerS} rows/s, raw ${result.rawRowsPerS} rows/s (ratio ${result.ratio})`);
  return result;
}

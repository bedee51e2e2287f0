import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startNeo4j, type RunningNeo4j } from '../src/db/localNeo4j';

declare global {
  var __TG_TEST_NEO4J__: { neo: RunningNeo4j; home: string } | undefined;
}

/**
 * Starts a separate Neo4j for the test run, on its own home and a free port, unless NEO4J_TEST_URI
 * points at one already. Its URI reaches the tests through NEO4J_TEST_URI.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  if (process.env.NEO4J_TEST_URI) return;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-test-neo4j-'));
  const port = await findFreePort();
  const started = Date.now();
  const neo = await startNeo4j({
    home,
    port,
    heap: process.env.TG_TEST_NEO4J_HEAP ?? '1g',
    pageCache: process.env.TG_TEST_NEO4J_PAGECACHE ?? '256m',
    say: (line) => console.log(line),
  });
  // TG_TEST_NEO4J_SCHEME=neo4j runs the suite through the routing driver (as against a cluster or Aura).
  process.env.NEO4J_TEST_URI = process.env.TG_TEST_NEO4J_SCHEME === 'neo4j' ? neo.uri.replace(/^bolt:/, 'neo4j:') : neo.uri;
  globalThis.__TG_TEST_NEO4J__ = { neo, home };
  console.log(`\ntest Neo4j at ${process.env.NEO4J_TEST_URI} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

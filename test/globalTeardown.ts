import fs from 'node:fs';

/** Stops the test Neo4j started by globalSetup and removes its home. */
export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__TG_TEST_NEO4J__;
  if (!running) return;
  await running.neo.stop();
  fs.rmSync(running.home, { recursive: true, force: true });
}

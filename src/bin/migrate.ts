import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { migrate } from '../db/migrations';
import { createExecutor } from '../server';
import { runCli } from './runCli';

/** `npm run migrate`: constraints and indexes, idempotent. Starts the local Neo4j if needed and stops it after. */
runCli(async () => {
  const config = loadConfig();
  const connection = await connect(config, { startLocal: true, say: console.log });
  try {
    await migrate(createExecutor(connection.driver, config));
    console.log('migrations applied');
  } finally {
    await connection.close();
  }
});

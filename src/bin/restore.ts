import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { createDriver } from '../db/driver';
import { restoreGraph, RestoreError } from '../ops/restore';
import { createExecutor } from '../server';
import { CliUsageError, runCli } from './runCli';

/**
 * `npm run db:restore -- FILE`: loads a dump of `npm run db:dump` into an EMPTY database, one write
 * transaction per batch of 1000 elements, applies the migrations and checks counts and checksum.
 */
runCli(async () => {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliUsageError('usage: npm run db:restore -- FILE');
  if (!fs.existsSync(file)) throw new CliUsageError(`${file} does not exist`);
  const config = loadConfig();
  const connection = await connect(config, { startLocal: true, say: console.log });
  const checkDriver = createDriver({ uri: connection.uri, username: config.neo4jUsername, password: config.neo4jPassword, losslessIntegers: true });
  try {
    const summary = await restoreGraph(() => fs.createReadStream(file), createExecutor(connection.driver, config), checkDriver, config.neo4jDatabase, {
      onBatch: ({ nodes, relationships }) => process.stdout.write(`\r${nodes} nodes, ${relationships} relationships`),
    });
    console.log(`\nrestored ${summary.nodes} nodes and ${summary.relationships} relationships; checksum ${summary.checksum} matches the dump`);
  } catch (error) {
    if (error instanceof RestoreError) throw new CliUsageError(error.message);
    throw error;
  } finally {
    await checkDriver.close();
    await connection.close();
  }
});

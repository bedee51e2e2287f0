import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { createDriver } from '../db/driver';
import { dumpGraph } from '../ops/dump';
import { CliUsageError, runCli } from './runCli';

/**
 * `npm run db:dump -- FILE`: the whole graph as portable JSON lines (see src/ops/dump.ts), streamed.
 * The file is written under FILE.partial and renamed when complete, so FILE is never half a dump.
 */
runCli(async () => {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliUsageError('usage: npm run db:dump -- FILE');
  const config = loadConfig();
  const connection = await connect(config, { startLocal: false });
  // INTEGER and FLOAT must stay apart in the file: a second driver with lossless integers.
  const driver = createDriver({ uri: connection.uri, username: config.neo4jUsername, password: config.neo4jPassword, losslessIntegers: true });
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  try {
    const summary = await dumpGraph(driver, config.neo4jDatabase, async (line) => {
      if (!out.write(line)) await once(out, 'drain');
    });
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    fs.renameSync(partial, file);
    console.log(`${file}: ${summary.nodes} nodes, ${summary.relationships} relationships, checksum ${summary.checksum}`);
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await driver.close();
    await connection.close();
  }
});

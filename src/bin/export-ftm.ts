import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { exportFtm } from '../ingest/ftmExport';
import { createExecutor } from '../server';
import { runCli } from './runCli';

/** `npm run export:ftm [-- --out FILE] [--include-victims]`: the graph as FtM JSON lines (stdout by default). */
runCli(async () => {
  const { values } = parseArgs({ strict: true, options: { out: { type: 'string' }, 'include-victims': { type: 'boolean', default: false } } });
  const config = loadConfig();
  const connection = await connect(config, { startLocal: false });
  const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
  let count = 0;
  try {
    for await (const entity of exportFtm(createExecutor(connection.driver, config), { includeVictims: values['include-victims'] })) {
      if (!out.write(`${JSON.stringify(entity)}\n`)) await once(out, 'drain');
      count += 1;
    }
  } finally {
    if (values.out) out.end();
    await connection.close();
  }
  console.error(`exported ${count} FtM entities${values.out ? ` to ${values.out}` : ''}`);
});

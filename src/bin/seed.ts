import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { migrate } from '../db/migrations';
import { seed, SEED_DATASETS, type SeedDataset } from '../ingest/seedDatasets';
import { createExecutor } from '../server';
import { CliUsageError, runCli } from './runCli';

/** `npm run seed [-- --dataset public-record|demo|all]`: idempotent load of seed/. */
runCli(async () => {
  const { values } = parseArgs({ options: { dataset: { type: 'string', default: 'all' } }, strict: true });
  const datasets: readonly SeedDataset[] =
    values.dataset === 'all' ? SEED_DATASETS : SEED_DATASETS.filter((d) => d === values.dataset);
  if (datasets.length === 0) {
    throw new CliUsageError(`--dataset must be one of ${[...SEED_DATASETS, 'all'].join(', ')} (got "${values.dataset}")`);
  }
  const config = loadConfig();
  const connection = await connect(config, { startLocal: true, say: console.log });
  try {
    const executor = createExecutor(connection.driver, config);
    await migrate(executor);
    const summary = await seed(executor, datasets);
    for (const [file, counts] of Object.entries(summary)) {
      console.log(`${file}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    }
  } finally {
    await connection.close();
  }
});

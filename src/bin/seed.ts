import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { planSynthetic, seedSynthetic } from '../../seed/synthetic/seedSynthetic';
import { formatImportSummary } from '../ingest/importRecords';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { migrate } from '../db/migrations';
import { seed, SEED_DATASETS, type SeedDataset } from '../ingest/seedDatasets';
import { createExecutor } from '../server';
import { CliUsageError, runCli } from './runCli';

/**
 * `npm run seed [-- --dataset public-record|demo|all]`: idempotent load of seed/.
 * `npm run seed -- --dataset synthetic --scale N [--seed S] [--batch-size B]`: the synthetic graph of about N nodes.
 */
runCli(async () => {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: 'all' },
      scale: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'batch-size': { type: 'string', default: '5000' },
    },
    strict: true,
  });
  if (values.dataset === 'synthetic') return runSyntheticSeed(Number(values.scale), Number(values.seed), Number(values['batch-size']));
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

async function runSyntheticSeed(scale: number, seedNumber: number, batchSize: number): Promise<void> {
  if (!Number.isInteger(scale) || scale < 10 || scale > 50_000_000) throw new CliUsageError('--scale must be an integer from 10 to 50000000');
  if (!Number.isInteger(seedNumber)) throw new CliUsageError('--seed must be an integer');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new CliUsageError('--batch-size must be an integer from 1 to 100000');
  const config = loadConfig();
  const connection = await connect(config, { startLocal: true, say: console.log });
  const plan = planSynthetic(scale);
  console.log(`synthetic plan for scale ${scale}, seed ${seedNumber}: ${Object.entries(plan).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  const bar = new SingleBar(
    { format: 'synthetic |{bar}| {value} records | {nodes} written | {rate} records/s | {duration_formatted}', hideCursor: true },
    Presets.shades_classic,
  );
  try {
    const executor = createExecutor(connection.driver, config);
    await migrate(executor);
    const started = performance.now();
    // The total is an estimate (plan nodes plus about 1.3 relationships per staff member); the bar stops at the real count.
    bar.start(Math.round(scale * 1.05), 0, { nodes: 0, rate: 0 });
    const summary = await seedSynthetic(executor, {
      scale,
      seed: seedNumber,
      batchSize,
      onProgress: (p) => bar.update(p.records, { rate: Math.round(p.records / Math.max((performance.now() - started) / 1000, 0.001)), nodes: p.written }),
    });
    bar.stop();
    const w = summary.written;
    const nodes = w.source + w.person + w.organisation + w.compound + w.event;
    console.log(formatImportSummary(summary).join('\n'));
    console.log(`${nodes} nodes in ${summary.seconds.toFixed(1)} s: ${Math.round(nodes / summary.seconds)} nodes/s`);
  } finally {
    bar.stop();
    await connection.close();
  }
}

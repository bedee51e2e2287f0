import type { Executor } from '../../src/db/executor';
import { importRecords, type ImportOptions, type ImportSummary } from '../../src/ingest/importRecords';
import { generateSynthetic, planSynthetic } from './generate';

export { planSynthetic };

/**
 * Writes the synthetic graph for `scale` nodes from `seed`, in batches of `batchSize` (default 5000) rows,
 * one write transaction each, every record `dataset: 'synthetic'`, `synthetic: true`. Idempotent: the same
 * scale and seed MERGE onto the same ids. Throws if a batch is rejected (that would be a generator bug).
 *
 *     await seedSynthetic(executor, { scale: 100_000, seed: 1 });
 */
export async function seedSynthetic(
  executor: Executor,
  options: { scale: number; seed: number; batchSize?: number; onProgress?: ImportOptions['onProgress'] },
): Promise<ImportSummary> {
  const summary = await importRecords(generateSynthetic(options.scale, options.seed), executor, {
    batchSize: options.batchSize ?? 5000,
    dataset: 'synthetic',
    synthetic: true,
    onProgress: options.onProgress,
  });
  if (summary.rejectedBatches > 0) throw new Error(`synthetic generator produced invalid records:\n${summary.errors.join('\n')}`);
  return summary;
}

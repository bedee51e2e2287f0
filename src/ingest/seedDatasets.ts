import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../db/executor';
import { PROJECT_ROOT } from '../projectRoot';
import { loadDataset, type LoadSummary } from './loadDataset';

/** The seed datasets in seed/, each a folder of JSON documents. */
export const SEED_DATASETS = ['public-record', 'demo'] as const;
export type SeedDataset = (typeof SEED_DATASETS)[number];

/** The JSON files of a seed dataset, in name order. */
export function seedFiles(dataset: SeedDataset): string[] {
  const dir = path.join(PROJECT_ROOT, 'seed', dataset);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => path.join(dir, file));
}

/**
 * Loads seed datasets; each file in one transaction, idempotently.
 *
 *     await seed(executor, ['public-record', 'demo']);
 */
export async function seed(executor: Executor, datasets: readonly SeedDataset[]): Promise<Record<string, LoadSummary>> {
  const summaries: Record<string, LoadSummary> = {};
  for (const dataset of datasets) {
    for (const file of seedFiles(dataset)) {
      summaries[path.relative(PROJECT_ROOT, file)] = await loadDataset(JSON.parse(fs.readFileSync(file, 'utf8')), executor);
    }
  }
  return summaries;
}

/** True when the database holds no entity yet. */
export async function isDatabaseEmpty(executor: Executor): Promise<boolean> {
  const [row] = await executor.read<{ empty: boolean }>({ cypher: 'RETURN NOT EXISTS { MATCH (:Node) } AS empty', params: {} });
  return row?.empty ?? true;
}

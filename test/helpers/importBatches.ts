import { createDriver } from '../../src/db/driver';
import { Executor } from '../../src/db/executor';
import { loadDataset } from '../../src/ingest/loadDataset';

/**
 * A child process for test/integration/killImport.test.ts: loads BATCHES synthetic documents of SIZE
 * persons (plus their source and an ASSOCIATE_OF chain) through loadDataset, one write transaction per
 * batch, printing `begin N` before and `committed N` after each. The test SIGKILLs it mid-way.
 *
 *     tsx test/helpers/importBatches.ts bolt://127.0.0.1:7687 20 400
 */
export function batchDocument(batch: number, size: number): Record<string, unknown> {
  const source = `source:ops-kill-${batch}`;
  const persons = Array.from({ length: size }, (_, i) => ({
    id: `person:ops-kill-${batch}-${i}`,
    name: `Batch ${batch} person ${i}`,
    description: 'x'.repeat(200),
    sources: [source],
  }));
  const relationships = persons.slice(1).map((p, i) => ({ type: 'ASSOCIATE_OF', from: persons[i]!.id, to: p.id, sources: [source] }));
  return {
    dataset: 'synthetic',
    synthetic: true,
    sources: [{ id: source, title: `Kill test batch ${batch}`, reliability: 'F', kind: 'synthetic' }],
    persons,
    relationships,
  };
}

async function main(): Promise<void> {
  const [uri, batches = '20', size = '400'] = process.argv.slice(2);
  if (!uri) throw new Error('usage: importBatches.ts URI [BATCHES] [SIZE]');
  const driver = createDriver({ uri });
  const executor = new Executor(driver, { database: 'neo4j', readTimeoutMs: 60_000 });
  for (let batch = 0; batch < Number(batches); batch += 1) {
    process.stdout.write(`begin ${batch}\n`);
    await loadDataset(batchDocument(batch, Number(size)), executor);
    process.stdout.write(`committed ${batch}\n`);
  }
  await driver.close();
  process.stdout.write('done\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

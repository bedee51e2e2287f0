import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { migrate } from '../db/migrations';
import { RECORD_KEYS, formatImportSummary, type RecordType } from '../ingest/importRecords';
import { IMPORT_FORMATS, guessFormat, importFile, type ImportFormat } from '../ingest/importFile';
import { createExecutor } from '../server';
import { CliUsageError, runCli } from './runCli';

const USAGE = 'usage: npm run import -- FILE [--format json|csv|ftm] [--source SOURCE_ID [--source-title TITLE]] [--batch-size N] [--type TYPE]';

/** Counts the lines of a file without holding it, for the progress bar's total. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return lines;
}

/** `npm run import -- FILE ...`: batched, all-or-nothing per batch, idempotent import with a progress bar. Exits 1 when a batch was rejected. */
runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      source: { type: 'string' },
      'source-title': { type: 'string' },
      'batch-size': { type: 'string', default: '5000' },
      type: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliUsageError(USAGE);
  if (!fs.existsSync(file)) throw new CliUsageError(`${file} does not exist`);
  const format = (values.format ?? guessFormat(file)) as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new CliUsageError('--batch-size must be an integer from 1 to 100000');
  if (values.type && !(values.type in RECORD_KEYS)) throw new CliUsageError(`--type must be one of ${Object.keys(RECORD_KEYS).join(', ')}`);

  const config = loadConfig();
  const connection = await connect(config, { startLocal: true, say: console.log });
  const bar = new SingleBar(
    { format: 'import |{bar}| {value}/{total} lines read | {written} written | {rejected} rejected | {rate} records/s', hideCursor: true },
    Presets.shades_classic,
  );
  try {
    const executor = createExecutor(connection.driver, config);
    await migrate(executor);
    const total = await countLines(file);
    const started = performance.now();
    bar.start(total, 0, { written: 0, rejected: 0, rate: 0 });
    const summary = await importFile(file, executor, {
      format,
      source: values.source,
      sourceTitle: values['source-title'],
      type: values.type as RecordType | undefined,
      batchSize,
      onProgress: (p) =>
        bar.update(Math.min(p.records, total), {
          written: p.written,
          rejected: p.rejected,
          rate: Math.round(p.records / Math.max((performance.now() - started) / 1000, 0.001)),
        }),
    });
    bar.update(total);
    bar.stop();
    for (const line of formatImportSummary(summary)) console.log(line);
    if (summary.rejectedBatches > 0) process.exitCode = 1;
  } finally {
    bar.stop();
    await connection.close();
  }
});

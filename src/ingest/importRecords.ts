import type { Executor } from '../db/executor';
import type { DATASETS } from './dataset.model';
import { DatasetValidationError, loadDataset } from './loadDataset';

/**
 * The batch engine behind `npm run import` and the synthetic generator: records stream in, are cut into
 * batches, and each batch is validated and written by {@link loadDataset} in ONE write transaction, so a
 * batch lands whole or not at all. Every write MERGEs on ids, so importing the same records twice adds nothing.
 */

/** The record types an import may carry, and the document key each fills. */
export const RECORD_KEYS = {
  source: 'sources',
  person: 'persons',
  organisation: 'organisations',
  compound: 'compounds',
  event: 'events',
  relationship: 'relationships',
  claim: 'claims',
} as const;
export type RecordType = keyof typeof RECORD_KEYS;
type DocumentKey = (typeof RECORD_KEYS)[RecordType];

/** One record read from a file: where it came from (`line 17`), its type and its fields. */
export interface ImportRecord {
  location: string;
  type: RecordType;
  value: Record<string, unknown>;
}

/** A line that could not even be read as a record (bad JSON, unknown type); it rejects its batch. */
export interface UnreadableRecord {
  location: string;
  error: string;
}

/** A record or a reading error, as produced by the readers in recordReaders.ts. */
export type ImportItem = ImportRecord | UnreadableRecord;

/** One reason a batch was rejected, e.g. `line 17: persons.birthDate: must be a date ...`. */
export type ImportError = string;

export interface ImportSummary {
  /** Records written, by record type. */
  written: Record<RecordType, number>;
  /** Records read but deliberately not imported, by reason (e.g. `FtM Payment`). */
  skipped: Record<string, number>;
  batches: number;
  rejectedBatches: number;
  rejectedRecords: number;
  errors: ImportError[];
  seconds: number;
}

export interface ImportProgress {
  /** Records read so far (written, rejected or skipped). */
  records: number;
  written: number;
  rejected: number;
}

export interface ImportOptions {
  batchSize?: number;
  dataset?: (typeof DATASETS)[number];
  synthetic?: boolean;
  /** Called after each batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Counts records the reader skipped on purpose; the reader increments it. */
  skipped?: Record<string, number>;
  /** Stop collecting error lines after this many (the counts stay exact). */
  maxErrors?: number;
}

function emptyCounts(): Record<RecordType, number> {
  return { source: 0, person: 0, organisation: 0, compound: 0, event: 0, relationship: 0, claim: 0 };
}

const PATH = /^(\w+)\[(\d+)\](?:\.?)(.*)$/;

/**
 * Imports records in batches of `batchSize` (default 5000), one write transaction per batch.
 * A batch with any unreadable or invalid record is rejected whole, and its errors name the line and the
 * field; later batches still run. References must point at ids in the same batch or already in the
 * database, so a file should list sources and entities before the relationships, events and claims
 * that cite them.
 *
 *     const summary = await importRecords(readJsonRecords('data.jsonl'), executor, { batchSize: 1000 });
 */
export async function importRecords(
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  executor: Executor,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 5000;
  const maxErrors = options.maxErrors ?? 200;
  const summary: ImportSummary = {
    written: emptyCounts(),
    skipped: options.skipped ?? {},
    batches: 0,
    rejectedBatches: 0,
    rejectedRecords: 0,
    errors: [],
    seconds: 0,
  };
  const progress: ImportProgress = { records: 0, written: 0, rejected: 0 };
  const addError = (error: string): void => {
    if (summary.errors.length < maxErrors) summary.errors.push(error);
  };

  let batch: ImportItem[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    summary.batches += 1;
    progress.records += items.length;
    const unreadable = items.filter((item): item is UnreadableRecord => 'error' in item);
    const records = items.filter((item): item is ImportRecord => !('error' in item));
    const document: Record<string, unknown> & Partial<Record<DocumentKey, unknown[]>> = {
      dataset: options.dataset ?? 'import',
      synthetic: options.synthetic ?? false,
    };
    const locations = new Map<string, string>();
    for (const record of records) {
      const key = RECORD_KEYS[record.type];
      const list = (document[key] ??= []);
      locations.set(`${key}[${list.length}]`, record.location);
      list.push(record.value);
    }
    const reject = (errors: string[]): void => {
      summary.rejectedBatches += 1;
      summary.rejectedRecords += items.length;
      progress.rejected += items.length;
      const first = items[0]?.location ?? '';
      const last = items[items.length - 1]?.location ?? '';
      addError(`batch ${summary.batches} (${first} .. ${last}) rejected, nothing of it written:`);
      errors.forEach((error) => addError(`  ${error}`));
    };
    if (unreadable.length > 0) {
      reject(unreadable.map((item) => `${item.location}: ${item.error}`));
    } else {
      try {
        const counts = await loadDataset(document, executor);
        for (const [type, key] of Object.entries(RECORD_KEYS) as [RecordType, DocumentKey][]) {
          summary.written[type] += counts[key];
          progress.written += counts[key];
        }
      } catch (error) {
        if (!(error instanceof DatasetValidationError)) throw error;
        reject(
          error.issues.map((issue) => {
            const match = PATH.exec(issue.path);
            const location = match ? locations.get(`${match[1]}[${match[2]}]`) : undefined;
            return location && match
              ? `${location}: ${match[1]}${match[3] ? `.${match[3]}` : ''}: ${issue.message}`
              : `${issue.path}: ${issue.message}`;
          }),
        );
      }
    }
    options.onProgress?.({ ...progress });
  };

  for await (const item of items) {
    batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** The summary as lines for a terminal. */
export function formatImportSummary(summary: ImportSummary): string[] {
  const written = Object.entries(summary.written).filter(([, n]) => n > 0);
  const total = written.reduce((sum, [, n]) => sum + n, 0);
  const lines = [
    `written: ${total} records${written.length ? ` (${written.map(([type, n]) => `${n} ${type}`).join(', ')})` : ''}` +
      ` in ${summary.batches - summary.rejectedBatches} of ${summary.batches} batches, ` +
      `${summary.seconds.toFixed(1)} s, ${Math.round(total / Math.max(summary.seconds, 0.001))} records/s`,
  ];
  const skipped = Object.entries(summary.skipped);
  if (skipped.length) lines.push(`skipped on purpose: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}`);
  if (summary.rejectedBatches) {
    lines.push(`rejected: ${summary.rejectedRecords} records in ${summary.rejectedBatches} batches`);
    lines.push(...summary.errors);
  }
  return lines;
}

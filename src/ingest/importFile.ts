import type { Executor } from '../db/executor';
import { BadUserInputError } from '../errors';
import { findExistingIds } from './dataset.queries';
import { readFtmRecords } from './ftmImport';
import { importRecords, type ImportItem, type ImportOptions, type ImportSummary, type RecordType } from './importRecords';
import { readCsvRecords, readDocumentDataset, readJsonRecords, recordTypeFromFileName } from './recordReaders';

/** The file formats of `npm run import`. */
export const IMPORT_FORMATS = ['json', 'csv', 'ftm'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportFileOptions extends Pick<ImportOptions, 'batchSize' | 'onProgress' | 'maxErrors'> {
  format: ImportFormat;
  /** The Source every imported fact cites: required for ftm; for json and csv, cited by records that cite none. */
  source?: string;
  /** Creates `source` with this title (kind `dataset`, reliability `F`) when it does not exist yet. */
  sourceTitle?: string;
  /** csv: the record type of a file without a `type` column (default: from the file name, e.g. persons.csv). */
  type?: RecordType;
}

/** The format a file name suggests: .csv -> csv, .ijson/.ftm.json -> ftm, otherwise json. */
export function guessFormat(file: string): ImportFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ijson|ftm\.jsonl?|ftm\.json)$/i.test(file)) return 'ftm';
  return 'json';
}

/**
 * Imports one file (see importRecords for batching and atomicity). With `source`, checks that the source
 * exists or creates it from `sourceTitle`, so no record can cite a missing source.
 *
 *     const summary = await importFile('donations.ijson', executor, { format: 'ftm', source: 'source:lobby', sourceTitle: 'Donations' });
 */
export async function importFile(file: string, executor: Executor, options: ImportFileOptions): Promise<ImportSummary> {
  const { source } = options;
  if (options.format === 'ftm' && !source) {
    throw new BadUserInputError('--source SOURCE_ID is required for --format ftm: FtM entities carry no source of their own', 'source');
  }
  const prelude: ImportItem[] = [];
  if (source) {
    const [row] = await executor.read<{ existing: string[] }>(findExistingIds([source]));
    if (!row?.existing.includes(source)) {
      if (!options.sourceTitle) {
        throw new BadUserInputError(`source ${source} does not exist: load it first or give --source-title to create it`, 'source');
      }
      prelude.push({
        location: '--source',
        type: 'source',
        value: { id: source, title: options.sourceTitle, kind: 'dataset', reliability: 'F', retrieved: new Date().toISOString().slice(0, 10) },
      });
    }
  }
  const skipped: Record<string, number> = {};
  const records =
    options.format === 'ftm'
      ? readFtmRecords(file, source!, skipped)
      : options.format === 'csv'
        ? readCsvRecords(file, options.type ?? recordTypeFromFileName(file))
        : readJsonRecords(file);
  async function* withSource(): AsyncGenerator<ImportItem> {
    yield* prelude;
    for await (const item of records) {
      if (source && !('error' in item) && item.type !== 'source') {
        const sources = item.value.sources;
        if (sources === undefined || sources === null || (Array.isArray(sources) && sources.length === 0)) {
          yield { ...item, value: { ...item.value, sources: [source] } };
          continue;
        }
      }
      yield item;
    }
  }
  const document = options.format === 'json' ? await readDocumentDataset(file) : undefined;
  return importRecords(withSource(), executor, {
    ...options,
    skipped,
    dataset: document?.dataset as ImportOptions['dataset'],
    synthetic: document?.synthetic,
  });
}

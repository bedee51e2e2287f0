import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import { RECORD_KEYS, type ImportItem, type RecordType } from './importRecords';

/**
 * Readers that turn an import file into a stream of records for importRecords(). They never hold more
 * than one record in memory, except the whole-document JSON form, which is one document by nature.
 */

const RECORD_TYPES = Object.keys(RECORD_KEYS) as RecordType[];

function isRecordType(value: unknown): value is RecordType {
  return typeof value === 'string' && (RECORD_TYPES as string[]).includes(value);
}

function toItem(location: string, parsed: unknown): ImportItem {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { location, error: 'must be a JSON object' };
  }
  const { type, ...value } = parsed as Record<string, unknown>;
  if (!isRecordType(type)) {
    return { location, error: `type: must be one of ${RECORD_TYPES.join(', ')} (got ${JSON.stringify(type)})` };
  }
  // A relationship's own `type` is the relation type: JSON lines carry it as `relation`.
  if (type === 'relationship') {
    const { relation, ...rest } = value;
    return { location, type, value: { ...rest, type: relation } };
  }
  return { location, type, value };
}

/** Yields the non-blank lines of a file with their 1-based numbers. */
export async function* readLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim()) yield { line, text };
  }
}

/** Whether the file is one JSON document (seed/FORMAT.md) rather than JSON lines: its first line is not a whole object. */
async function isWholeDocument(file: string): Promise<boolean> {
  for await (const { text } of readLines(file)) {
    try {
      const first = JSON.parse(text) as unknown;
      return !(typeof first === 'object' && first !== null && 'type' in first);
    } catch {
      return true;
    }
  }
  return false;
}

/** The `dataset` and `synthetic` of a whole JSON document, or undefined for JSON lines (which import as `import`). */
export async function readDocumentDataset(file: string): Promise<{ dataset?: string; synthetic?: boolean } | undefined> {
  if (!(await isWholeDocument(file))) return undefined;
  try {
    const { dataset, synthetic } = JSON.parse(await fs.promises.readFile(file, 'utf8')) as { dataset?: string; synthetic?: boolean };
    return { dataset, synthetic };
  } catch {
    return undefined;
  }
}

/**
 * Reads `--format json`: either JSON lines, one record per line with a `type` (`source`, `person`,
 * `organisation`, `compound`, `event`, `relationship` with the relation type in `relation`, `claim`),
 * or a whole seed document (seed/FORMAT.md), whose records are located as `persons[3]`.
 */
export async function* readJsonRecords(file: string): AsyncGenerator<ImportItem> {
  if (await isWholeDocument(file)) {
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      yield { location: file, error: `not JSON lines and not a JSON document: ${(error as Error).message}` };
      return;
    }
    for (const [type, key] of Object.entries(RECORD_KEYS) as [RecordType, string][]) {
      const list = document[key];
      if (!Array.isArray(list)) continue;
      for (const [index, value] of list.entries()) {
        yield typeof value === 'object' && value !== null
          ? { location: `${key}[${index}]`, type, value: value as Record<string, unknown> }
          : { location: `${key}[${index}]`, error: 'must be a JSON object' };
      }
    }
    return;
  }
  for await (const { line, text } of readLines(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { location: `line ${line}`, error: `not valid JSON: ${(error as Error).message}` };
      continue;
    }
    yield toItem(`line ${line}`, parsed);
  }
}

/** CSV columns that hold lists, separated by `|`. */
const LIST_COLUMNS: Record<RecordType, string[]> = {
  source: [],
  person: ['aliases', 'roles', 'nationality', 'topics', 'sources', 'referents'],
  organisation: ['aliases', 'country', 'topics', 'sources', 'referents'],
  compound: ['aliases', 'securityFeatures', 'sources', 'referents'],
  event: ['participants', 'sources', 'referents'],
  relationship: ['sources'],
  claim: ['sources'],
};
const NUMBER_COLUMNS = new Set(['latitude', 'longitude', 'estimatedHeadcount', 'price']);

/** One CSV row as a record: empty cells are absent, lists split on `|`, participants as `id=role`. */
export function csvRowToItem(location: string, row: Record<string, string>, defaultType?: RecordType): ImportItem {
  const type = row.type || defaultType;
  if (!isRecordType(type)) {
    return { location, error: `type: must be one of ${RECORD_TYPES.join(', ')} (got ${JSON.stringify(row.type ?? '')})` };
  }
  const value: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (column === 'type' || cell === '') continue;
    if (LIST_COLUMNS[type].includes(column)) {
      const parts = cell.split('|').map((part) => part.trim()).filter(Boolean);
      value[column] =
        column === 'participants'
          ? parts.map((part) => {
              const at = part.lastIndexOf('=');
              return at < 0 ? { id: part } : { id: part.slice(0, at), role: part.slice(at + 1) };
            })
          : parts;
    } else if (NUMBER_COLUMNS.has(column)) {
      value[column] = Number.isNaN(Number(cell)) ? cell : Number(cell);
    } else {
      value[column === 'relation' ? 'type' : column] = cell;
    }
  }
  return { location, type, value };
}

/**
 * Reads `--format csv`: a header row, then one record per row. The record type comes from a `type`
 * column or, for a file of one type, from `defaultType` (`--type`, or the file name: persons.csv).
 * Relationship rows carry the relation type in a `relation` column.
 */
export async function* readCsvRecords(file: string, defaultType?: RecordType): AsyncGenerator<ImportItem> {
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, info: true }));
  try {
    for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield csvRowToItem(`line ${entry.info.lines}`, entry.record, defaultType);
    }
  } catch (error) {
    yield { location: file, error: `CSV: ${(error as Error).message}` };
  }
}

/** The record type a CSV file name implies (`persons.csv` -> person), if any. */
export function recordTypeFromFileName(file: string): RecordType | undefined {
  const base = file.split(/[\\/]/).pop()?.replace(/\.csv$/i, '').toLowerCase() ?? '';
  return RECORD_TYPES.find((type) => base === type || base === RECORD_KEYS[type] || base.endsWith(`-${RECORD_KEYS[type]}`));
}

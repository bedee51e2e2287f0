import { stringify } from 'csv-stringify/sync';
import type { Cell, FlatRow } from './flatten';

/** Excel opens a UTF-8 CSV correctly only when it starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * How a cell reads in CSV: empty for null, `true`/`false`, numbers as JavaScript prints them. Numbers stay numbers
 * here, so that a negative one is not escaped as a formula (see {@link CSV_OPTIONS}).
 */
export function csvCell(value: Cell): string | number {
  if (value === null) return '';
  return typeof value === 'number' ? value : String(value);
}

/**
 * Text cells that a spreadsheet would run as a formula (they begin with `=`, `+`, `-`, `@`, a tab or a carriage
 * return: "CSV injection") get a leading `'`, so Excel, LibreOffice and Google Sheets show them as text. A name
 * in the graph comes from sources and imports; opening an export must never run it.
 */
export const CSV_OPTIONS = { escape_formulas: true } as const;

/**
 * A table as RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break),
 * header first, prefixed with a UTF-8 BOM unless `bom` is false.
 *
 *     toCsv(['name', 'sources'], [{ name: 'Jade, Harbour', sources: '' }]) // '\uFEFFname,sources\r\n"Jade, Harbour",\r\n'
 */
export function toCsv(columns: readonly string[], rows: readonly FlatRow[], options: { bom?: boolean } = {}): string {
  const body = stringify(
    rows.map((row) => columns.map((column) => csvCell(row[column] ?? null))),
    // csv-stringify quotes only the record delimiter itself; RFC 4180 wants any CR or LF quoted.
    { ...CSV_OPTIONS, header: true, columns: [...columns], record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
  );
  return (options.bom === false ? '' : UTF8_BOM) + body;
}

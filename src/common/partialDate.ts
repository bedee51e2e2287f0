import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { BadUserInputError } from '../errors';

/**
 * Dates with their precision, as in FollowTheMoney: "2025", "2025-07" or "2025-07-04".
 * Stored as the string itself plus `…Start`/`…End`, the first and last day it covers
 * ("2025-07" covers 2025-07-01 .. 2025-07-31), as ISO strings that sort and compare correctly.
 */

export type DatePrecision = 'year' | 'month' | 'day';

export interface DateRange {
  readonly start: string;
  readonly end: string;
  readonly precision: DatePrecision;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The number of the ASCII digits of `value` from `start` to `end`, or -1 if any is not a digit. */
function digitsAt(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i += 1) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * True when `value` is a valid partial date (real month and day). The one check of the format ({@link dateRange}
 * starts with it), by character and calendar: the Date scalar checks every date it serializes, so it allocates nothing.
 */
export function isPartialDate(value: string): boolean {
  const { length } = value;
  if (length !== 4 && length !== 7 && length !== 10) return false;
  const year = digitsAt(value, 0, 4);
  if (year < 1000) return false;
  if (length === 4) return true;
  const month = value.charCodeAt(4) === 45 ? digitsAt(value, 5, 7) : -1;
  if (month < 1 || month > 12) return false;
  if (length === 7) return true;
  const day = value.charCodeAt(7) === 45 ? digitsAt(value, 8, 10) : -1;
  return day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The period a partial date covers, or undefined when it is not a valid date.
 *
 *     dateRange('2024-02') // { start: '2024-02-01', end: '2024-02-29', precision: 'month' }
 */
export function dateRange(value: string): DateRange | undefined {
  if (!isPartialDate(value)) return undefined;
  const year = value.slice(0, 4);
  if (value.length === 4) return { start: `${year}-01-01`, end: `${year}-12-31`, precision: 'year' };
  if (value.length === 7) {
    return { start: `${value}-01`, end: `${value}-${pad(daysInMonth(Number(year), Number(value.slice(5))))}`, precision: 'month' };
  }
  return { start: value, end: value, precision: 'day' };
}

/**
 * True when the period `end` covers lies wholly before the one `start` covers, so the two contradict each other.
 * Partial dates overlap by their periods: `2024-05` to `2024-05-14` is fine, `2025` to `2020` is not.
 *
 *     endsBeforeStart('2025', '2020') // true
 *     endsBeforeStart('2024-05', '2024-05-14') // false
 */
export function endsBeforeStart(start: string | null | undefined, end: string | null | undefined): boolean {
  const from = start ? dateRange(start) : undefined;
  const to = end ? dateRange(end) : undefined;
  return from !== undefined && to !== undefined && to.end < from.start;
}

/**
 * Parses a period's two date arguments, each optional, or throws BAD_USER_INPUT naming the one at fault; a period whose
 * end lies wholly before its start is refused rather than answered with nothing (`2024-05` to `2024-05-14` is fine).
 *
 *     parseDatePeriod('2025', '2024', 'filter.from', 'filter.to') // throws: Argument "filter.to" (2024) ends before "filter.from" (2025) begins.
 */
export function parseDatePeriod(
  from: string | null | undefined,
  to: string | null | undefined,
  fromArgument: string,
  toArgument: string,
): { from: DateRange | undefined; to: DateRange | undefined } {
  const period = { from: parseDateArgument(from, fromArgument), to: parseDateArgument(to, toArgument) };
  if (endsBeforeStart(from, to)) {
    throw new BadUserInputError(`Argument "${toArgument}" (${to}) ends before "${fromArgument}" (${from}) begins.`, toArgument);
  }
  return period;
}

/** Parses a date argument, or throws BAD_USER_INPUT naming it. */
export function parseDateArgument(value: string | null | undefined, argument: string): DateRange | undefined {
  if (value === null || value === undefined) return undefined;
  const range = dateRange(value);
  if (!range) {
    throw new BadUserInputError(
      `Argument "${argument}" is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD (got "${value}").`,
      argument,
    );
  }
  return range;
}

/** The Date scalar's refusal of a value, shown as `got` (JSON, or a literal as written, with its node for the location). */
function notADate(got: string, node?: ValueNode): GraphQLError {
  return new GraphQLError(`Date must be a string of the form YYYY, YYYY-MM or YYYY-MM-DD; got ${got}.`, {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

function coerce(value: unknown): string {
  if (typeof value !== 'string' || !isPartialDate(value)) throw notADate(JSON.stringify(value));
  return value;
}

/** The `Date` scalar: a partial ISO date that keeps its precision. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A date with its precision: "2025", "2025-07" or "2025-07-04".',
  serialize: (value) => coerce(value),
  parseValue: (value) => coerce(value),
  // With the literal's node, so the error gives its line and column (graphql-js reports a scalar's own GraphQLError as it is).
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isPartialDate(ast.value)) throw notADate(print(ast), ast);
    return ast.value;
  },
});

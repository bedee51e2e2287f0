import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../errors';

/**
 * Dates with their precision, as in FollowTheMoney: "2025", "2025-07" or "2025-07-04".
 * Stored as the string itself plus `…Start`/`…End`, the first and last day it covers
 * ("2025-07" covers 2025-07-01 .. 2025-07-31), as ISO strings that sort and compare correctly.
 */

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export type DatePrecision = 'year' | 'month' | 'day';

export interface DateRange {
  readonly start: string;
  readonly end: string;
  readonly precision: DatePrecision;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** True when `value` is a valid partial date (real month and day). */
export function isPartialDate(value: string): boolean {
  return dateRange(value) !== undefined;
}

/**
 * The period a partial date covers, or undefined when it is not a valid date.
 *
 *     dateRange('2024-02') // { start: '2024-02-01', end: '2024-02-29', precision: 'month' }
 */
export function dateRange(value: string): DateRange | undefined {
  const match = PARTIAL_DATE.exec(value);
  if (!match?.[1]) return undefined;
  const year = Number(match[1]);
  if (year < 1000) return undefined;
  if (match[2] === undefined) return { start: `${year}-01-01`, end: `${year}-12-31`, precision: 'year' };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  const last = daysInMonth(year, month);
  if (match[3] === undefined) {
    return { start: `${year}-${pad(month)}-01`, end: `${year}-${pad(month)}-${pad(last)}`, precision: 'month' };
  }
  const day = Number(match[3]);
  if (day < 1 || day > last) return undefined;
  return { start: value, end: value, precision: 'day' };
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

function coerce(value: unknown): string {
  if (typeof value !== 'string' || !isPartialDate(value)) {
    throw new GraphQLError(`Date must be a string of the form YYYY, YYYY-MM or YYYY-MM-DD; got ${JSON.stringify(value)}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** The `Date` scalar: a partial ISO date that keeps its precision. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A date with its precision: "2025", "2025-07" or "2025-07-04".',
  serialize: (value) => coerce(value),
  parseValue: (value) => coerce(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Date must be a string of the form YYYY, YYYY-MM or YYYY-MM-DD.', {
        nodes: [ast],
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return coerce(ast.value);
  },
});

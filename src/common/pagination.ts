import { BadUserInputError } from '../errors';
import { selectsField, type SelectionInfo } from './lookahead';
import { projectionAt, type Projection } from './projection';
import { planAt, type Plan, type PlanInfo } from './prefetch';

/** The largest page a connection serves; `first` above it is a BAD_USER_INPUT. */
export const MAX_PAGE_SIZE = 100;

export interface Page {
  readonly offset: number;
  readonly first: number;
  /**
   * Whether the list's total is counted. A list resolver sets it false when `totalCount` is not
   * selected: counting every matching row costs as much as the page itself on a large graph, so the
   * list then fetches one row more than the page to know `hasNextPage`. Default true.
   */
  readonly countTotal?: boolean;
  /** The properties of each row the query needs (see src/common/projection.ts); absent or null: every property. */
  readonly projection?: Projection;
  /** What the list's statement fetches ahead below each row (src/common/prefetch.ts); absent: nothing. */
  readonly nested?: Plan;
}

/**
 * Reads `first`/`after` of a Relay connection. Cursors are opaque (base64 of "o:OFFSET").
 *
 *     const page = readPage(args.first, args.after); // { offset: 20, first: 10 }
 */
export function readPage(
  first: number | null | undefined,
  after: string | null | undefined,
  info?: PlanInfo,
  type?: string,
): Page {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  const page = { offset: after ? decodeCursor(after) + 1 : 0, first: size };
  if (!info) return page;
  if (!type) return { ...page, countTotal: selectsField(info, ['totalCount']) };
  return {
    ...page,
    countTotal: selectsField(info, ['totalCount']),
    projection: rowProjection(info, type),
    nested: planAt(info, [['nodes'], ['edges', 'node']], [type]),
  };
}

/** What a connection's rows need: the union of what `nodes` and `edges { node }` select. */
function rowProjection(info: SelectionInfo, type: string): Projection {
  const nodes = projectionAt(info, ['nodes'], [type]);
  const edges = projectionAt(info, ['edges', 'node'], [type]);
  return nodes === null || edges === null ? null : [...new Set([...nodes, ...edges])].sort();
}

/** The cursor of the row at `offset`. */
export function encodeCursor(offset: number): string {
  let cursor = offset < CACHED_CURSORS ? cursors.get(offset) : undefined;
  if (cursor === undefined) {
    cursor = Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
    if (offset < CACHED_CURSORS) cursors.set(offset, cursor);
  }
  return cursor;
}

/** Cursors of the first rows, kept once made: every connection hands them out, and encoding allocates. */
const CACHED_CURSORS = 10_000;
const cursors = new Map<number, string>();

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^o:(\d{1,9})$/.exec(text);
  if (!match?.[1]) throw new BadUserInputError('Argument "after" is not a cursor this API handed out.', 'after');
  return Number(match[1]);
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T, E = Edge<T>> {
  readonly edges: E[];
  readonly nodes: T[];
  readonly pageInfo: PageInfo;
  readonly totalCount: number;
}

/**
 * Builds a connection from one page of rows and the total count. When the total was not counted
 * (`page.countTotal === false`), `rows` may hold one row past the page, which tells `hasNextPage`;
 * reading `totalCount` then is a bug (the resolver only skips the count when it is not selected).
 * `edgeOf` makes each edge (default `{ cursor, node }`), for edges that carry more (a search hit's score).
 */
export function toConnection<T>(rows: readonly T[], page: Page, totalCount: number | null): Connection<T>;
export function toConnection<T, E>(rows: readonly T[], page: Page, totalCount: number | null, edgeOf: (node: T, cursor: string) => E): Connection<T, E>;
export function toConnection<T, E>(
  rows: readonly T[],
  page: Page,
  totalCount: number | null,
  edgeOf?: (node: T, cursor: string) => E,
): Connection<T, E | Edge<T>> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node, index) => {
    const cursor = encodeCursor(page.offset + index);
    return edgeOf ? edgeOf(node, cursor) : { cursor, node };
  });
  const counted = page.countTotal !== false;
  const total = totalCount ?? 0;
  const pageInfo = {
    hasNextPage: counted ? page.offset + nodes.length < total : rows.length > page.first,
    hasPreviousPage: page.offset > 0,
    startCursor: nodes.length > 0 ? encodeCursor(page.offset) : null,
    endCursor: nodes.length > 0 ? encodeCursor(page.offset + nodes.length - 1) : null,
  };
  return new PageConnection(edges, nodes, pageInfo, counted, total);
}

/**
 * A connection whose `totalCount` throws when it was not counted. A class, for its getter: V8 makes each getter of an
 * object literal an accessor pair in old space, and through it what the getter closes over (here the page's rows)
 * survives every young collection until a full one (see the note of `createLoaders`, src/loaders.ts).
 */
class PageConnection<T, E> implements Connection<T, E> {
  readonly #counted: boolean;
  readonly #total: number;

  constructor(
    readonly edges: E[],
    readonly nodes: T[],
    readonly pageInfo: PageInfo,
    counted: boolean,
    total: number,
  ) {
    this.#counted = counted;
    this.#total = total;
  }

  get totalCount(): number {
    if (!this.#counted) throw new Error('totalCount was read but not counted: pass the resolver info to readPage');
    return this.#total;
  }
}

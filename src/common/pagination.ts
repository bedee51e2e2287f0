import { BadUserInputError } from '../errors';

/** The largest page a connection serves; `first` above it is a BAD_USER_INPUT. */
export const MAX_PAGE_SIZE = 100;

export interface Page {
  readonly offset: number;
  readonly first: number;
}

/**
 * Reads `first`/`after` of a Relay connection. Cursors are opaque (base64 of "o:OFFSET").
 *
 *     const page = readPage(args.first, args.after); // { offset: 20, first: 10 }
 */
export function readPage(first: number | null | undefined, after: string | null | undefined): Page {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return { offset: after ? decodeCursor(after) + 1 : 0, first: size };
}

/** The cursor of the row at `offset`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^o:(\d{1,9})$/.exec(text);
  if (!match?.[1]) throw new BadUserInputError('Argument "after" is not a cursor this API handed out.', 'after');
  return Number(match[1]);
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from one page of rows (at most `page.first`) and the total count. */
export function toConnection<T>(rows: readonly T[], page: Page, totalCount: number): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(page.offset + index), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: page.offset + nodes.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

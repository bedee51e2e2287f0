import { int, type Statement } from '../db/executor';
import type { Loaders } from '../loaders';
import type { NodeRecord } from '../node/node.model';
import { toNodeRecord } from '../node/node.normalize';
import { projectNode } from '../node/node.queries';
import { nestedExpression } from './prefetch';
import { toConnection, type Connection, type Page } from './pagination';

/** One WHERE condition of a list query, with the parameters it uses. Conditions are ANDed. */
export interface Condition {
  cypher: string;
  params?: Record<string, unknown>;
}

export interface ListQuery {
  /** The MATCH clause, binding the listed node as `n`, e.g. `MATCH (n:Compound)`. Never user input. */
  match: string;
  conditions: Condition[];
  /** ORDER BY expressions over `n`, chosen from closed enums by the caller. */
  orderBy: string[];
  page: Page;
}

export interface ListRow {
  /** Null when the page did not ask for the count (`page.countTotal === false`). */
  total: number | null;
  rows: Record<string, unknown>[];
  /** What was fetched ahead below each row, in row order, when the page has a plan (`page.nested`). */
  nested?: unknown[] | null;
}

/**
 * Builds one statement answering a page and the total count of a filtered list, in one round trip
 * (or, when `page.countTotal` is false, the page and one row more, uncounted).
 *
 *     listStatement({ match: 'MATCH (n:Source)', conditions: [], orderBy: ['n.id'], page })
 */
export function listStatement(query: ListQuery): Statement {
  // Retired entities (src/mutation/mutations.ts) stay stored but are never listed.
  const conditions = [{ cypher: 'n.retiredAt IS NULL' }, ...query.conditions];
  const where = `WHERE ${conditions.map((c) => `(${c.cypher})`).join(' AND ')}`;
  const params = Object.assign({}, ...query.conditions.map((c) => c.params ?? {}), {
    offset: int(query.page.offset),
    limit: int(query.page.first),
  }) as Record<string, unknown>;
  const plan = query.page.nested ?? [];
  const nested = plan.length > 0 ? `collect(${nestedExpression('n', plan, params)})` : 'null';
  const page = `
  ${query.match} ${where}
  WITH n ORDER BY ${query.orderBy.join(', ')}
  SKIP $offset LIMIT $limit
  RETURN collect(${projectNode('n', query.page.projection ?? null)}) AS rows, ${nested} AS nested`;
  if (query.page.countTotal === false) {
    // Not counted: one row past the page tells whether there is a next page.
    return { cypher: `CALL () {${page}
}
RETURN null AS total, rows, nested`, params: { ...params, limit: int(query.page.first + 1) } };
  }
  return {
    cypher: `CALL () { ${query.match} ${where} RETURN count(n) AS total }
CALL () {${page}
}
RETURN total, rows, nested`,
    params,
  };
}

/**
 * The connection of a list statement's answer. Whole records (no projection) also go into the node
 * loader's cache; projected ones never do.
 */
export function listConnection<T extends NodeRecord>(row: ListRow | undefined, page: Page, loaders: Loaders): Connection<T> {
  const nodes = (row?.rows ?? []).map((raw) => toNodeRecord(raw) as T);
  if ((page.projection ?? null) === null) nodes.forEach((n) => loaders.node.prime(n.id, n));
  const plan = page.nested ?? [];
  if (plan.length > 0 && row?.nested) loaders.primeAhead(plan, nodes, row.nested);
  return toConnection(nodes, page, row?.total ?? null);
}

/** The condition "node is cited by source `sourceId`", using the SOURCED_BY links. */
export function citedBy(sourceId: string): Condition {
  return { cypher: 'EXISTS { (n)-[:SOURCED_BY]->(:Source {id: $sourceId}) }', params: { sourceId } };
}

/** Converts GraphQL enum values (PUBLIC_RECORD) to stored values (public-record). */
export function datasetValues(values: readonly string[]): string[] {
  return values.map((value) => value.toLowerCase().replace(/_/g, '-'));
}

/** Lower-cases GraphQL enum values to stored values (RAIDED -> raided). */
export function storedValues(values: readonly string[]): string[] {
  return values.map((value) => value.toLowerCase());
}

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
  /**
   * Set when the first ORDER BY expression is `n.PROPERTY ASC|DESC` and a range index on the listed
   * label holds that property (every label's `id`, an event's `dateStart`). The page is then read in
   * index order and stops at its end, instead of sorting every match: at 1M nodes the first page of
   * events took 1.5-2.3 s, and 13-23 ms read this way (bench/README.md). Neo4j uses an index only
   * for a predicate on its property, so the statement says `n.PROPERTY IS NOT NULL`. `nullable`:
   * nodes without the property are listed after all that have it, in either direction, and read
   * only when a page reaches them; otherwise every listed node has it (`id`, which GraphQL requires).
   */
  indexedOrder?: { property: 'id' | 'dateStart'; nullable: boolean };
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
  // Aggregates only: a plain `null AS nested` beside `collect` would be a grouping key, and a page past the end
  // (or `first: 0`) would then give no row at all, and with it no total.
  const nested = plan.length > 0 ? `collect(${nestedExpression('n', plan, params)})` : 'collect(null)';
  const rows = `RETURN collect(${projectNode('n', query.page.projection ?? null)}) AS rows, ${nested} AS nested`;
  const orderBy = query.orderBy.join(', ');
  const indexed = query.indexedOrder;
  if (indexed && !new RegExp(`^n\\.${indexed.property} (ASC|DESC)$`).test(query.orderBy[0] ?? '')) {
    throw new Error(`listStatement: indexedOrder ${indexed.property} needs ORDER BY n.${indexed.property} first, got ${query.orderBy[0]}`);
  }
  let page: string;
  if (indexed?.nullable) {
    // Those with the property in index order, up to the end of the page; those without it only when
    // the first part is shorter than that. Without the LIMIT 1 the planner moves the size test after
    // a scan of every node of the label, which is what this avoids.
    const property = `n.${indexed.property}`;
    page = `
  CALL () {
    ${query.match} ${where} AND ${property} IS NOT NULL
    WITH n ORDER BY ${orderBy} LIMIT $offset + $limit
    RETURN collect(n) AS present
  }
  CALL (present) {
    WITH present WHERE size(present) < $offset + $limit
    WITH present LIMIT 1
    ${query.match} ${where} AND ${property} IS NULL
    WITH n ORDER BY ${orderBy} LIMIT $offset + $limit
    RETURN collect(n) AS absent
  }
  UNWIND (present + absent)[$offset..($offset + $limit)] AS n
  ${rows}`;
  } else {
    page = `
  ${query.match} ${where}${indexed ? ` AND n.${indexed.property} IS NOT NULL` : ''}
  WITH n ORDER BY ${orderBy}
  SKIP $offset LIMIT $limit
  ${rows}`;
  }
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

/**
 * ORDER BY `key direction`, ties broken by id; read in the id index's order when the key is the id.
 *
 *     listStatement({ match: 'MATCH (n:Compound)', conditions, ...orderedBy('toLower(n.name)', 'ASC'), page })
 */
export function orderedBy(key: string, direction: 'ASC' | 'DESC'): Pick<ListQuery, 'orderBy' | 'indexedOrder'> {
  if (key === 'n.id') return { orderBy: [`n.id ${direction}`], indexedOrder: { property: 'id', nullable: false } };
  return { orderBy: [`${key} ${direction}`, 'n.id'] };
}

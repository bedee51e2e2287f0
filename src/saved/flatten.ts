import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** A cell of a flattened row: scalars as they are, lists of scalars joined with "; ". */
export type Cell = string | number | boolean | null;
export type FlatRow = Record<string, Cell>;

/** The column that gathers the sources cited anywhere along a row. */
export const SOURCES_COLUMN = 'sources';
/** The response key whose objects are read as citations instead of being spread into rows (see {@link isCitation}). */
const SOURCES_FIELD = 'sources';

/** The shape of a selection: response keys in document order, with sub-shapes for object fields. */
interface Shape {
  key: string;
  children: Shape[] | null;
}

/** Merges the selections of a selection set (fields, inline fragments, fragment spreads) by response key. */
function shapeOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, into: Shape[] = []): Shape[] {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      let shape = into.find((s) => s.key === key);
      if (!shape) {
        shape = { key, children: selection.selectionSet ? [] : null };
        into.push(shape);
      }
      if (selection.selectionSet && shape.children) shapeOf(selection.selectionSet, fragments, shape.children);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      shapeOf(selection.selectionSet, fragments, into);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) shapeOf(fragment.selectionSet, fragments, into);
    }
  }
  return into;
}

/** A query's table layout: leaf columns as dotted paths in document order, then `sources`. */
export interface Table {
  columns: string[];
  rows: FlatRow[];
}

/**
 * Whether a field's objects are citations: any `sources` below the root; at the root, where `sources` is the
 * list of all sources (a table of its own), only a `sources` that selects a source's `id` itself, e.g.
 * `sources: node(id: $source) { ... on Source { id title } }` to cite one source on every row.
 */
function isCitation(shape: Shape, prefix: string): boolean {
  if (shape.key !== SOURCES_FIELD || !shape.children) return false;
  return prefix !== '' || shape.children.some((child) => child.key === 'id' && !child.children);
}

function columnsOf(shapes: readonly Shape[], prefix: string): string[] {
  return shapes.flatMap((shape) => {
    const path = prefix ? `${prefix}.${shape.key}` : shape.key;
    if (!shape.children) return [path];
    if (isCitation(shape, prefix)) return [];
    return columnsOf(shape.children, path);
  });
}

/** What a (partial) row holds: its cells and the sources cited along it. */
interface Partial {
  cells: FlatRow;
  sources: string[];
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return value as Cell;
}

/** How a source object reads in the sources column: "Title (id)" when both were selected. */
function citationOf(source: unknown): string | null {
  if (!source || typeof source !== 'object') return null;
  const { id, title } = source as { id?: unknown; title?: unknown };
  if (typeof title === 'string' && typeof id === 'string') return `${title} (${id})`;
  if (typeof id === 'string') return id;
  return typeof title === 'string' ? title : null;
}

function merge(a: Partial, b: Partial): Partial {
  return { cells: { ...a.cells, ...b.cells }, sources: [...new Set([...a.sources, ...b.sources])] };
}

/**
 * Flattens one object: its scalar fields go into every row; each list of objects yields one row per item
 * (parent values repeated). Two sibling lists are stacked, not multiplied, so no row pairs items that
 * have nothing to do with each other. An empty list keeps its parent row with empty cells. A list that
 * selects no leaf outside `sources`, in an object that has columns, gives no rows: its items' citations
 * go on the object's rows.
 */
function flattenObject(value: Record<string, unknown>, shapes: readonly Shape[], prefix: string): Partial[] {
  let base: Partial = { cells: {}, sources: [] };
  const groups: Partial[][] = [];
  const showsColumns = columnsOf(shapes, prefix).length > 0;
  for (const shape of shapes) {
    const path = prefix ? `${prefix}.${shape.key}` : shape.key;
    const field = value[shape.key];
    if (!shape.children) {
      base.cells[path] = cellOf(field);
      continue;
    }
    if (isCitation(shape, prefix)) {
      const items = Array.isArray(field) ? field : [field];
      base.sources.push(...items.map(citationOf).filter((c): c is string => c !== null));
      continue;
    }
    const items = (Array.isArray(field) ? field : [field]).filter((item): item is Record<string, unknown> => !!item && typeof item === 'object');
    const rows = items.flatMap((item) => flattenObject(item, shape.children!, path));
    // A list that adds no column to an object that shows some (e.g. `transfers { sources { id title } }`)
    // adds no row either: it only cites. A table of nothing but sources keeps its rows.
    if (showsColumns && columnsOf(shape.children, path).length === 0) base.sources.push(...rows.flatMap((row) => row.sources));
    else if (rows.length === 1) base = merge(base, rows[0]!);
    else if (rows.length > 1) groups.push(rows);
  }
  base.sources = [...new Set(base.sources)];
  if (groups.length === 0) return [base];
  return groups.flatMap((rows) => rows.map((row) => merge(base, row)));
}

/**
 * Turns a query's `data` into a table: one row per leaf list item with parent values repeated, stable
 * columns (the selection's leaf paths in document order, e.g. `compounds.nodes.name`, then `sources`),
 * and the citations found along each row gathered in `sources` ("Title (id)", joined with "; ").
 *
 *     flattenResult(operation, fragments, { compounds: { nodes: [{ name: 'A' }, { name: 'B' }] } })
 *     // { columns: ['compounds.nodes.name', 'sources'], rows: [{ 'compounds.nodes.name': 'A', sources: '' }, ...] }
 */
export function flattenResult(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  data: Record<string, unknown> | null | undefined,
): Table {
  const shapes = shapeOf(operation.selectionSet, fragments);
  const columns = [...columnsOf(shapes, ''), SOURCES_COLUMN];
  // A row with no value at all (an empty answer) is no row.
  const partials = (data ? flattenObject(data, shapes, '') : []).filter(
    (partial) => partial.sources.length > 0 || Object.values(partial.cells).some((cell) => cell !== null && cell !== ''),
  );
  const rows = partials.map((partial) => {
    const row: FlatRow = {};
    for (const column of columns) row[column] = column === SOURCES_COLUMN ? partial.sources.join('; ') : (partial.cells[column] ?? null);
    return row;
  });
  return { columns, rows };
}

import { XMLBuilder } from 'fast-xml-parser';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from '../saved/csv';
import type { GraphEdgeRecord, GraphNodeRecord, GraphSliceRecord } from '../network/graphSlice.model';
import { toCytoscapeElements } from '../network/graphSlice';
import type { SourceRecord } from '../source/source.model';

/** The file formats of `/export/network`. */
export const EXPORT_FORMATS = ['cytoscape', 'graphml', 'gexf', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A serialised slice: the body and how to serve it. */
export interface ExportFile {
  contentType: string;
  extension: string;
  body: string;
}

type AttrType = 'string' | 'double' | 'boolean';

/** One typed attribute column: its name and the XML type every value of it fits. */
interface Column {
  name: string;
  type: AttrType;
}

/** The union of property names of `items`, sorted, each typed by the values it takes. */
function columnsOf(items: readonly { properties: Record<string, unknown> }[]): Column[] {
  const types = new Map<string, Set<string>>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item.properties)) {
      if (value === null || value === undefined) continue;
      const set = types.get(name) ?? new Set<string>();
      set.add(typeof value);
      types.set(name, set);
    }
  }
  return [...types.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, seen]) => ({
      name,
      type: seen.size === 1 && seen.has('number') ? 'double' : seen.size === 1 && seen.has('boolean') ? 'boolean' : 'string',
    }));
}

/** A property value as attribute text: lists and objects as JSON, so nothing is lost. */
export function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, suppressBooleanAttributes: false });
const XML_DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

/**
 * GraphML (http://graphml.graphdrawing.org), opened by Gephi, Cytoscape, yEd and NetworkX: a directed
 * graph with `label` and `type` plus every property as a typed `<data>` key.
 */
export function toGraphML(slice: GraphSliceRecord): string {
  const nodeColumns: Column[] = [{ name: 'label', type: 'string' }, { name: 'type', type: 'string' }, ...columnsOf(slice.nodes)];
  const edgeColumns: Column[] = [{ name: 'label', type: 'string' }, { name: 'type', type: 'string' }, ...columnsOf(slice.edges)];
  const key = (scope: 'node' | 'edge', c: Column) => ({ '@_id': `${scope}_${c.name}`, '@_for': scope, '@_attr.name': c.name, '@_attr.type': c.type });
  const data = (scope: 'node' | 'edge', columns: Column[], values: Record<string, unknown>) =>
    columns
      .filter((c) => values[c.name] !== undefined && values[c.name] !== null)
      .map((c) => ({ '@_key': `${scope}_${c.name}`, '#text': attributeText(values[c.name]) }));
  return xml.build({
    ...XML_DECLARATION,
    graphml: {
      '@_xmlns': 'http://graphml.graphdrawing.org/xmlns',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation': 'http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd',
      key: [...nodeColumns.map((c) => key('node', c)), ...edgeColumns.map((c) => key('edge', c))],
      graph: {
        '@_id': 'trafficking-graph',
        '@_edgedefault': 'directed',
        node: slice.nodes.map((n) => ({ '@_id': n.id, data: data('node', nodeColumns, { ...n.properties, label: n.label, type: n.type }) })),
        edge: slice.edges.map((e) => ({
          '@_id': e.id,
          '@_source': e.source,
          '@_target': e.target,
          data: data('edge', edgeColumns, { ...e.properties, label: e.label, type: e.type }),
        })),
      },
    },
  });
}

/** GEXF 1.3 (https://gexf.net), Gephi's own format: a static directed graph with typed node and edge attributes. */
export function toGEXF(slice: GraphSliceRecord, generatedOn: string): string {
  const nodeColumns: Column[] = [{ name: 'type', type: 'string' }, ...columnsOf(slice.nodes)];
  const edgeColumns: Column[] = [{ name: 'type', type: 'string' }, ...columnsOf(slice.edges)];
  const declare = (columns: Column[]) => columns.map((c) => ({ '@_id': c.name, '@_title': c.name, '@_type': c.type }));
  const values = (columns: Column[], props: Record<string, unknown>) => ({
    attvalue: columns
      .filter((c) => props[c.name] !== undefined && props[c.name] !== null)
      .map((c) => ({ '@_for': c.name, '@_value': attributeText(props[c.name]) })),
  });
  return xml.build({
    ...XML_DECLARATION,
    gexf: {
      '@_xmlns': 'http://gexf.net/1.3',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation': 'http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd',
      '@_version': '1.3',
      meta: { '@_lastmodifieddate': generatedOn, creator: 'trafficking-graph', description: 'Network export' },
      graph: {
        '@_defaultedgetype': 'directed',
        '@_mode': 'static',
        attributes: [
          { '@_class': 'node', attribute: declare(nodeColumns) },
          { '@_class': 'edge', attribute: declare(edgeColumns) },
        ],
        nodes: { node: slice.nodes.map((n) => ({ '@_id': n.id, '@_label': n.label, attvalues: values(nodeColumns, { ...n.properties, type: n.type }) })) },
        edges: {
          edge: slice.edges.map((e) => ({
            '@_id': e.id,
            '@_source': e.source,
            '@_target': e.target,
            '@_label': e.label,
            attvalues: values(edgeColumns, { ...e.properties, type: e.type }),
          })),
        },
      },
    },
  });
}

/**
 * CSV tables in the column names Gephi's spreadsheet import expects: the node table (`Id`, `Label`,
 * `NodeType`, properties) or the edge table (`Source`, `Target`, `Type` = Directed, `Id`, `Label`,
 * `Relation`, properties). Lists are JSON.
 */
export function toCSV(slice: GraphSliceRecord, table: 'nodes' | 'edges'): string {
  if (table === 'nodes') {
    const columns = columnsOf(slice.nodes).map((c) => c.name);
    const rows = slice.nodes.map((n: GraphNodeRecord) => [n.id, n.label, n.type, ...columns.map((c) => cell(n.properties[c]))]);
    return stringify([['Id', 'Label', 'NodeType', ...columns], ...rows], CSV_OPTIONS);
  }
  const columns = columnsOf(slice.edges).map((c) => c.name);
  const rows = slice.edges.map((e: GraphEdgeRecord) => [e.source, e.target, 'Directed', e.id, e.label, e.type, ...columns.map((c) => cell(e.properties[c]))]);
  return stringify([['Source', 'Target', 'Type', 'Id', 'Label', 'Relation', ...columns], ...rows], CSV_OPTIONS);
}

/** The ids of every source the slice's nodes and edges cite (their `sources` property), each once, in id order. */
export function citedSourceIds(slice: GraphSliceRecord): string[] {
  const ids = new Set<string>();
  for (const element of [...slice.nodes, ...slice.edges]) {
    const sources = element.properties.sources;
    if (Array.isArray(sources)) for (const id of sources) if (typeof id === 'string') ids.add(id);
  }
  return [...ids].sort();
}

/**
 * The sources table of a CSV export: one row per source the slice cites, with what a citation needs (`Id`, the value
 * in the node and edge tables' `sources` cells, then `Title`, `Publisher`, `URL`, `Published`, `Retrieved`, `Reliability`),
 * so the files can be cited offline, in a spreadsheet or Gephi, without the API.
 */
export function toSourcesCSV(sources: readonly SourceRecord[]): string {
  const rows = sources.map((s) => [s.id, s.title, s.publisher ?? '', s.url ?? '', s.published ?? '', s.retrieved ?? '', s.reliability ?? '']);
  return stringify([['Id', 'Title', 'Publisher', 'URL', 'Published', 'Retrieved', 'Reliability'], ...rows], CSV_OPTIONS);
}

function cell(value: unknown): string | number {
  if (value === undefined || value === null) return '';
  return typeof value === 'number' ? value : attributeText(value);
}

/** Cytoscape JSON (`.cyjs`), as Cytoscape desktop imports and Cytoscape.js reads (`cy.json(file)`). */
export function toCytoscapeJSON(slice: GraphSliceRecord): string {
  const elements = toCytoscapeElements(slice.nodes, slice.edges);
  return JSON.stringify(
    {
      format_version: '1.0',
      generated_by: 'trafficking-graph',
      target_cytoscapejs_version: '~3',
      data: { name: 'trafficking-graph network', truncated: slice.truncated },
      elements: {
        nodes: elements.filter((e) => e.group === 'nodes').map((e) => ({ data: e.data })),
        edges: elements.filter((e) => e.group === 'edges').map((e) => ({ data: e.data })),
      },
    },
    null,
    2,
  );
}

/** Serialises a slice in one of the export formats. */
export function serialiseSlice(slice: GraphSliceRecord, format: ExportFormat, options: { table: 'nodes' | 'edges'; generatedOn: string }): ExportFile {
  switch (format) {
    case 'graphml':
      return { contentType: 'application/graphml+xml; charset=utf-8', extension: 'graphml', body: toGraphML(slice) };
    case 'gexf':
      return { contentType: 'application/gexf+xml; charset=utf-8', extension: 'gexf', body: toGEXF(slice, options.generatedOn) };
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', extension: `${options.table}.csv`, body: toCSV(slice, options.table) };
    case 'cytoscape':
      return { contentType: 'application/json; charset=utf-8', extension: 'cyjs', body: toCytoscapeJSON(slice) };
  }
}

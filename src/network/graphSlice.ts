import type { Viewer } from '../auth/viewer';
import { canSeeVictimIdentity, canSeeVictims } from '../auth/viewer';
import { pseudonymFor } from '../person/pseudonym';
import { MASKED_VICTIM_ROLES, VICTIM_IDENTITY_PROPERTIES } from '../person/victimIdentity';
import type { NodeRecord } from '../node/node.model';
import type { EntityType, GraphSliceResolvers } from '../generated/graphql';
import type { GraphContext } from '../context';
import type { CytoscapeElement, GraphEdgeRecord, GraphNodeRecord, GraphSliceRecord, SlicedEdgeRecord } from './graphSlice.model';

/** Who asks and how to mask: the pieces of the request context that shape a slice. */
export interface SliceViewer {
  viewer: Viewer;
  pseudonymSecret: string;
  /** Victim ids whose identity the answer reveals (investigators only), for the audit log. */
  identityReads: Set<string>;
}

/** The key properties each node type shows in a slice; anything else (descriptions, points) stays out. */
const KEY_PROPERTIES: Record<string, readonly string[]> = {
  Person: ['name', 'aliases', 'roles', 'position', 'nationality', 'topics'],
  Compound: ['name', 'aliases', 'country', 'region', 'city', 'status', 'securityFeatures', 'estimatedHeadcount'],
  Organisation: ['name', 'aliases', 'kind', 'country', 'topics'],
  Event: ['title', 'kind', 'date', 'endDate', 'country', 'place', 'price', 'currency', 'channel', 'status', 'compoundId', 'fromCompoundId', 'toCompoundId'],
  Source: ['title', 'publisher', 'url', 'published', 'reliability', 'kind'],
};

/** A victim's identity as investigators see it in a slice: all of it but the description, which no slice node shows. */
const VICTIM_IDENTITY: readonly string[] = VICTIM_IDENTITY_PROPERTIES.filter((key) => key !== 'description');
const AGE_BAND: readonly string[] = ['ageBand'];

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return copyPresent({}, record, keys);
}

/** Copies the keys of `record` that hold a value into `out`, in `keys` order, and returns `out`. */
function copyPresent(out: Record<string, unknown>, record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/**
 * A stored node as a slice node, masked for the viewer: null for a victim the viewer may not see (public);
 * for journalists a victim is its pseudonym and age band only; investigators get the identity, and the read
 * is noted for the audit log.
 *
 * Properties are written into one object rather than spread from several: a slice has up to thousands of
 * nodes, and V8 spreads objects of varying shapes (what `pick` returns) on a slow path, 10-20 times the cost
 * of the assignments (bench/README.md, "late evening").
 *
 *     toGraphNode(compoundRecord, sliceViewer) // { id, label: 'Riverbend Demo Park', type: 'COMPOUND', properties }
 */
export function toGraphNode(record: NodeRecord, slice: SliceViewer): GraphNodeRecord | null {
  const raw = record as unknown as Record<string, unknown>;
  // Retired entities stay in the database but are answered as absent (src/mutation/mutations.ts).
  if (raw.retiredAt) return null;
  const type = record.label.toUpperCase() as EntityType;
  const properties: Record<string, unknown> = { dataset: record.dataset, synthetic: record.synthetic, sources: record.sources };
  if (record.victim) {
    if (!canSeeVictims(slice.viewer)) return null;
    const pseudonym = pseudonymFor(record.id, slice.pseudonymSecret);
    properties.isVictim = true;
    properties.pseudonym = pseudonym;
    properties.roles = [...MASKED_VICTIM_ROLES];
    copyPresent(properties, raw, AGE_BAND);
    if (!canSeeVictimIdentity(slice.viewer)) return { id: record.id, label: pseudonym, type, properties };
    slice.identityReads.add(record.id);
    return { id: record.id, label: String(raw.name ?? pseudonym), type, properties: copyPresent(properties, raw, VICTIM_IDENTITY) };
  }
  copyPresent(properties, raw, KEY_PROPERTIES[record.label] ?? []);
  if (record.label === 'Person') properties.isVictim = false;
  return { id: record.id, label: String(raw.name ?? raw.title ?? record.id), type, properties };
}

/**
 * Cytoscape.js elements of a slice: properties copied into `data`, with id, label and type winning.
 * `Object.assign`, not a spread: V8 spreads these varied shapes on a slow path, about ten times the cost.
 */
export function toCytoscapeElements(nodes: readonly GraphNodeRecord[], edges: readonly GraphEdgeRecord[]): CytoscapeElement[] {
  const elements: CytoscapeElement[] = [];
  for (const n of nodes) {
    elements.push({ group: 'nodes', data: Object.assign({}, n.properties, { id: n.id, label: n.label, type: n.type }) });
  }
  for (const e of edges) {
    elements.push({
      group: 'edges',
      data: Object.assign({}, e.properties, { id: e.id, source: e.source, target: e.target, type: e.type, label: e.label }),
    });
  }
  return elements;
}

/**
 * Assembles a slice: drops edges whose ends are not in `nodes` (hidden victims, truncation), sorts
 * nodes and edges by id so equal questions give equal answers.
 */
export function buildSlice(nodes: GraphNodeRecord[], edges: GraphEdgeRecord[], truncated: boolean): GraphSliceRecord {
  const ids = new Set(nodes.map((n) => n.id));
  const keptNodes = [...nodes].sort((a, b) => a.id.localeCompare(b.id));
  const keptEdges = edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .sort((a, b) => a.id.localeCompare(b.id))
    // Field by field: a spread (`{ ...e, from, to }`) cost about 2 µs an edge, milliseconds for a large slice.
    .map((e): SlicedEdgeRecord => ({ id: e.id, source: e.source, target: e.target, type: e.type, label: e.label, properties: e.properties, from: e.source, to: e.target }));
  return { nodes: keptNodes, edges: keptEdges, truncated };
}

/** `GraphSlice.cytoscape`, computed only for a selection that asks for it. */
export const graphSliceResolvers: GraphSliceResolvers<GraphContext> = {
  cytoscape: (slice) => toCytoscapeElements(slice.nodes, slice.edges),
};

/**
 * The ids of the victims in `nodes` whose identity `viewer` may not see (journalists'; the public sees no victim node).
 * Their edges are shown through {@link maskVictimEdge}.
 */
export function maskedVictimIds(nodes: readonly GraphNodeRecord[], viewer: Viewer): ReadonlySet<string> {
  if (canSeeVictimIdentity(viewer)) return EMPTY;
  const ids = new Set<string>();
  for (const node of nodes) if (node.properties.isVictim === true) ids.add(node.id);
  return ids;
}
const EMPTY: ReadonlySet<string> = new Set();

/**
 * An edge at a victim as it is shown to whoever may not see who the victim is: a participation's role is `victim`, as
 * the victim's roles are (a victim who testified at a trial is not shown as its witness), and a relationship's
 * `position` is left out, as the victim's own is. Edges at no masked victim are returned as they are.
 */
export function maskVictimEdge<E extends { source: string; target: string; type: string; label: string; properties: Record<string, unknown> }>(
  edge: E,
  masked: ReadonlySet<string>,
): E {
  if (masked.size === 0 || !(masked.has(edge.source) || masked.has(edge.target))) return edge;
  const { position: _position, ...properties } = edge.properties;
  if (typeof properties.role === 'string') properties.role = MASKED_VICTIM_ROLES[0];
  return { ...edge, label: typeof properties.role === 'string' ? properties.role : edge.type, properties };
}

/** The raw shape of a relationship as the slice queries return it. */
export interface EdgeRow {
  id: string | null;
  type: string;
  source: string;
  target: string;
  props: Record<string, unknown>;
  /** The sources of the event a link starts at (INVOLVES, AT, FROM, TO); absent for entity relationships. */
  eventSources?: string[] | null;
}

const EDGE_PROPERTIES = ['start', 'end', 'position', 'role', 'key', 'sources'] as const;

/**
 * A stored relationship (entity relation, INVOLVES, AT/FROM/TO) as a slice edge. Its `sources` are its own, or,
 * for an event's link that stores none (AT, FROM, TO), the event's: a fact from the event is cited by the
 * event's sources, as `paths` cites such a hop.
 *
 *     toGraphEdge({ id: null, type: 'AT', source: 'event:e', target: 'compound:c', props: {}, eventSources: ['source:s'] })
 *     // { id: 'event:e|AT|compound:c', label: 'AT', properties: { sources: ['source:s'] }, ... }
 */
export function toGraphEdge(row: EdgeRow): GraphEdgeRecord {
  const properties = pick(row.props, EDGE_PROPERTIES);
  if (!properties.sources) properties.sources = row.eventSources ?? [];
  const role = typeof row.props.role === 'string' ? row.props.role : null;
  const position = typeof row.props.position === 'string' ? row.props.position : null;
  const label = role ?? (position ? `${row.type} (${position})` : row.type);
  return { id: row.id ?? `${row.source}|${row.type}|${row.target}`, source: row.source, target: row.target, type: row.type, label, properties };
}

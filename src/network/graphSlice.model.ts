import type { EntityType } from '../generated/graphql';

/** A node of a graph slice: the data of a Cytoscape.js node element. */
export interface GraphNodeRecord {
  id: string;
  label: string;
  type: EntityType;
  properties: Record<string, unknown>;
}

/** An edge of a graph slice: the data of a Cytoscape.js edge element. */
export interface GraphEdgeRecord {
  id: string;
  source: string;
  target: string;
  type: string;
  label: string;
  properties: Record<string, unknown>;
}

/** A slice edge as served: also under vis-network's names (`from`, `to`). */
export interface SlicedEdgeRecord extends GraphEdgeRecord {
  from: string;
  to: string;
}

/**
 * Nodes and edges of one answer; `truncated` when a cap cut the neighbourhood. The Cytoscape.js form
 * (`GraphSlice.cytoscape`) is built from these only when it is asked for.
 */
export interface GraphSliceRecord {
  nodes: GraphNodeRecord[];
  edges: SlicedEdgeRecord[];
  truncated: boolean;
}

/** One Cytoscape.js element, as `cy.add()` and `cytoscape({elements})` accept it. */
export interface CytoscapeElement {
  group: 'nodes' | 'edges';
  data: Record<string, unknown>;
}

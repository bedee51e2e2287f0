import { createHash } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { streamNodes, streamRelationships } from './dump.queries';
import { canonicalJson, encodeProperties, type PortableValue } from './portableValue';

/** Counts and a content checksum of a whole graph, independent of element ids and of order. */
export interface GraphSummary {
  nodes: number;
  relationships: number;
  /** Nodes per label (a node with two labels counts under both). */
  labels: Record<string, number>;
  /** Relationships per type. */
  types: Record<string, number>;
  /** sha256 over every node (sorted labels, canonical properties) and every relationship (type,
   * canonical properties, and the hashes of its two endpoints): equal graphs give equal checksums. */
  checksum: string;
}

const MOD = 1n << 256n;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Accumulates a {@link GraphSummary} while nodes, then relationships, stream past. The checksum adds the
 * element hashes modulo 2^256 (a multiset hash), so no sort and no second pass are needed; it keeps
 * one hash per node to describe relationship endpoints.
 *
 *     const sum = new GraphChecksum();
 *     sum.addNode(id, labels, properties); ... sum.addRelationship(type, start, end, properties);
 *     sum.summary();
 */
export class GraphChecksum {
  private readonly nodeHashes = new Map<string, string>();
  private nodeSum = 0n;
  private relationshipSum = 0n;
  private relationshipCount = 0;
  private readonly labels: Record<string, number> = {};
  private readonly types: Record<string, number> = {};

  /** Adds a node; `properties` in the portable encoding. */
  addNode(id: string, labels: readonly string[], properties: Record<string, PortableValue>): void {
    const hash = sha256(canonicalJson({ labels: [...labels].sort(), properties }));
    this.nodeHashes.set(id, hash);
    this.nodeSum = (this.nodeSum + BigInt(`0x${hash}`)) % MOD;
    for (const label of labels) this.labels[label] = (this.labels[label] ?? 0) + 1;
  }

  /** Adds a relationship between two nodes added before. */
  addRelationship(type: string, start: string, end: string, properties: Record<string, PortableValue>): void {
    const from = this.nodeHashes.get(start);
    const to = this.nodeHashes.get(end);
    if (from === undefined || to === undefined) throw new Error(`Relationship ${type} has an endpoint that is not a known node`);
    const hash = sha256(canonicalJson({ type, properties, start: from, end: to }));
    this.relationshipSum = (this.relationshipSum + BigInt(`0x${hash}`)) % MOD;
    this.relationshipCount += 1;
    this.types[type] = (this.types[type] ?? 0) + 1;
  }

  summary(): GraphSummary {
    return {
      nodes: this.nodeHashes.size,
      relationships: this.relationshipCount,
      labels: sortKeys(this.labels),
      types: sortKeys(this.types),
      checksum: sha256(`${this.nodeSum.toString(16)}:${this.relationshipSum.toString(16)}`),
    };
  }
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Reads the whole graph in one read transaction and returns its {@link GraphSummary}. `driver` must
 * keep INTEGER and FLOAT apart (`createDriver({ ..., losslessIntegers: true })`).
 */
export async function summariseGraph(driver: Driver, database: string): Promise<GraphSummary> {
  const sum = new GraphChecksum();
  await streamGraph(driver, database, {
    node: (id, labels, properties) => sum.addNode(id, labels, properties),
    relationship: (_id, type, start, end, properties) => sum.addRelationship(type, start, end, properties),
  });
  return sum.summary();
}

/** What {@link streamGraph} calls for each element; may return a promise to slow the stream down. */
export interface GraphVisitor {
  node(id: string, labels: string[], properties: Record<string, PortableValue>): void | Promise<void>;
  relationship(id: string, type: string, start: string, end: string, properties: Record<string, PortableValue>): void | Promise<void>;
}

/**
 * Streams every node, then every relationship, in one read transaction (no retries: a retry would
 * repeat elements already handed out), with properties in the portable encoding.
 */
export async function streamGraph(driver: Driver, database: string, visit: GraphVisitor): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  const tx = await session.beginTransaction();
  try {
    const nodes = streamNodes();
    for await (const record of tx.run(nodes.cypher, nodes.params)) {
      await visit.node(record.get('id') as string, record.get('labels') as string[], encodeProperties(record.get('properties') as Record<string, unknown>));
    }
    const relationships = streamRelationships();
    for await (const record of tx.run(relationships.cypher, relationships.params)) {
      await visit.relationship(
        record.get('id') as string,
        record.get('type') as string,
        record.get('start') as string,
        record.get('end') as string,
        encodeProperties(record.get('properties') as Record<string, unknown>),
      );
    }
    await tx.commit();
  } finally {
    if (tx.isOpen()) await tx.rollback().catch(() => undefined);
    await session.close();
  }
}

import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { Driver } from 'neo4j-driver';
import type { Executor } from '../db/executor';
import { migrate } from '../db/migrations';
import {
  awaitIndexes,
  clearRestoreMarkers,
  createNodeBatch,
  createRelationshipBatch,
  createRestoreIndex,
  dropRestoreIndex,
  findAnyNode,
  type RestoreNodeRow,
  type RestoreRelationshipRow,
} from './dump.queries';
import type { DumpLine } from './dump';
import { GraphChecksum, summariseGraph, type GraphSummary } from './graphChecksum';
import { decodeProperties, type PortableValue } from './portableValue';

/** A restore that cannot start or did not finish; the message says why and what to do. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

export interface RestoreOptions {
  /** Elements per write transaction (default 1000). */
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?: (progress: { nodes: number; relationships: number }) => void;
}

/**
 * Restores a dump (see dump.ts) into an EMPTY database: nodes, then relationships, in batches of one
 * write transaction each; then applies the migrations and checks the result against the dump's own
 * summary (counts per label and type, and checksum). Refuses a database that holds any node.
 *
 * A batch that the driver retries is not applied twice (a marker node in the same transaction).
 * If the process dies mid-way the database holds whole batches only: wipe it and restore again.
 *
 * `checkDriver` must keep INTEGER and FLOAT apart (`losslessIntegers: true`); it reads the result.
 *
 *     const summary = await restoreGraph(fs.createReadStream(file), executor, checkDriver, 'neo4j');
 */
export async function restoreGraph(
  input: Readable,
  executor: Executor,
  checkDriver: Driver,
  database: string,
  options: RestoreOptions = {},
): Promise<GraphSummary> {
  const batchSize = options.batchSize ?? 1000;
  const [existing] = await executor.read<{ nodes: number; sample: string[] | null }>(findAnyNode());
  if (existing && existing.nodes > 0) {
    throw new RestoreError(
      `The database "${database}" is not empty (${existing.nodes} nodes, e.g. :${(existing.sample ?? []).join(':')}). ` +
        'A restore only goes into an empty database: point NEO4J_URI/NEO4J_DATABASE at an empty one, or delete everything first.',
    );
  }
  await executor.write(createRestoreIndex());
  await executor.write(awaitIndexes());

  let batch = 0;
  let nodes: RestoreNodeRow[] = [];
  let relationships: RestoreRelationshipRow[] = [];
  const done = { nodes: 0, relationships: 0 };
  let expected: GraphSummary | undefined;
  let header = false;
  let lineNumber = 0;
  const check = new GraphChecksum();

  const flushNodes = async (): Promise<void> => {
    if (nodes.length === 0) return;
    await executor.write(createNodeBatch(batch, nodes));
    batch += 1;
    done.nodes += nodes.length;
    nodes = [];
    options.onBatch?.({ ...done });
  };
  const flushRelationships = async (): Promise<void> => {
    if (relationships.length === 0) return;
    const [row] = await executor.write<{ created: number }>(createRelationshipBatch(batch, relationships));
    if (row && row.created !== relationships.length) {
      throw new RestoreError(`A batch of relationships ending at line ${lineNumber} found the endpoints of only ${row.created} of ${relationships.length}`);
    }
    batch += 1;
    done.relationships += relationships.length;
    relationships = [];
    options.onBatch?.({ ...done });
  };

  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (!text.trim()) continue;
    let line: DumpLine;
    try {
      line = JSON.parse(text) as DumpLine;
    } catch {
      throw new RestoreError(`Line ${lineNumber} is not JSON`);
    }
    if (!header) {
      if (line.type !== 'header' || line.format !== 'trafficking-graph-dump' || line.version !== 1) {
        throw new RestoreError('This is not a trafficking-graph dump (version 1): the first line must be its header');
      }
      header = true;
      continue;
    }
    try {
      if (line.type === 'node') {
        if (relationships.length || done.relationships) throw new RestoreError(`Line ${lineNumber}: a node after the relationships`);
        check.addNode(line.id, line.labels, line.properties as Record<string, PortableValue>);
        nodes.push({ id: line.id, labels: line.labels, properties: decodeProperties(line.properties as Record<string, PortableValue>) });
        if (nodes.length >= batchSize) await flushNodes();
      } else if (line.type === 'relationship') {
        await flushNodes();
        check.addRelationship(line.label, line.start, line.end, line.properties as Record<string, PortableValue>);
        relationships.push({ type: line.label, start: line.start, end: line.end, properties: decodeProperties(line.properties as Record<string, PortableValue>) });
        if (relationships.length >= batchSize) await flushRelationships();
      } else if (line.type === 'end') {
        const { type: _type, ...summary } = line;
        void _type;
        expected = summary;
      } else {
        throw new RestoreError(`Line ${lineNumber}: unknown line type`);
      }
    } catch (error) {
      if (error instanceof RestoreError) throw error;
      throw new RestoreError(`Line ${lineNumber}: ${(error as Error).message}`);
    }
  }
  await flushNodes();
  await flushRelationships();
  if (!expected) throw new RestoreError('The dump has no end line: it was cut short. Nothing is missing from the database that the file held, but the file is incomplete.');
  if (check.summary().checksum !== expected.checksum) {
    throw new RestoreError('The dump file does not match its own checksum: it was modified or damaged.');
  }

  for (;;) {
    const [row] = await executor.write<{ touched: number }>(clearRestoreMarkers());
    if (!row || row.touched === 0) break;
  }
  await executor.write(dropRestoreIndex());
  await migrate(executor);

  const actual = await summariseGraph(checkDriver, database);
  if (actual.checksum !== expected.checksum || actual.nodes !== expected.nodes || actual.relationships !== expected.relationships) {
    throw new RestoreError(
      `The restored graph differs from the dump: ${actual.nodes}/${expected.nodes} nodes, ` +
        `${actual.relationships}/${expected.relationships} relationships, checksum ${actual.checksum} vs ${expected.checksum}.`,
    );
  }
  return actual;
}

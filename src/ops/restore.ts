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

/** A node or relationship line of a dump, and its line number. */
type ElementLine = { line: Extract<DumpLine, { type: 'node' | 'relationship' }>; lineNumber: number };

/**
 * Reads a dump through, checking as it goes: the header, that every line is JSON of a known type, nodes before
 * relationships, the end line, and that the elements hash to the end line's checksum. `visit` is called with each node
 * and relationship in order (and awaited); the end line's summary is returned once all of it checked out.
 */
async function scanDump(input: Readable, visit?: (element: ElementLine) => Promise<void>): Promise<GraphSummary> {
  let expected: GraphSummary | undefined;
  let header = false;
  let relationshipsSeen = false;
  let lineNumber = 0;
  const check = new GraphChecksum();
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
    if (expected) throw new RestoreError(`Line ${lineNumber}: a line after the end line`);
    try {
      if (line.type === 'node') {
        if (relationshipsSeen) throw new RestoreError(`Line ${lineNumber}: a node after the relationships`);
        check.addNode(line.id, line.labels, line.properties as Record<string, PortableValue>);
        await visit?.({ line, lineNumber });
      } else if (line.type === 'relationship') {
        relationshipsSeen = true;
        check.addRelationship(line.label, line.start, line.end, line.properties as Record<string, PortableValue>);
        await visit?.({ line, lineNumber });
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
  if (!header) throw new RestoreError('This is not a trafficking-graph dump (version 1): the file is empty');
  if (!expected) throw new RestoreError('The dump has no end line: it was cut short.');
  if (check.summary().checksum !== expected.checksum) {
    throw new RestoreError('The dump file does not match its own checksum: it was modified or damaged.');
  }
  return expected;
}

/**
 * Restores a dump (see dump.ts) into an EMPTY database: first reads the whole file through and checks it (header, lines,
 * end line, checksum) without writing anything, so a damaged or cut-short file leaves the database as it was; then
 * writes nodes, then relationships, in batches of one write transaction each; then applies the migrations and checks
 * the result against the dump's own summary (counts per label and type, and checksum). Refuses a database that holds
 * any node. `open` is called twice, once a pass, and must give the same bytes each time (a file: `fs.createReadStream`).
 * Until December 5th, 2026 the file was read once, and a damaged one was found out only after its batches were written.
 *
 * A batch that the driver retries is not applied twice (a marker node in the same transaction).
 * If the process dies mid-way the database holds whole batches only: wipe it and restore again.
 *
 * `checkDriver` must keep INTEGER and FLOAT apart (`losslessIntegers: true`); it reads the result.
 *
 *     const summary = await restoreGraph(() => fs.createReadStream(file), executor, checkDriver, 'neo4j');
 */
export async function restoreGraph(
  open: () => Readable,
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
  // The first pass: nothing is written unless the whole file checks out.
  await scanDump(open());
  await executor.write(createRestoreIndex());
  await executor.write(awaitIndexes());

  let batch = 0;
  let nodes: RestoreNodeRow[] = [];
  let relationships: RestoreRelationshipRow[] = [];
  const done = { nodes: 0, relationships: 0 };
  let lineNumber = 0;

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

  let expected: GraphSummary;
  try {
    expected = await scanDump(open(), async ({ line, lineNumber: at }) => {
      lineNumber = at;
      if (line.type === 'node') {
        nodes.push({ id: line.id, labels: line.labels, properties: decodeProperties(line.properties as Record<string, PortableValue>) });
        if (nodes.length >= batchSize) await flushNodes();
      } else {
        await flushNodes();
        relationships.push({ type: line.label, start: line.start, end: line.end, properties: decodeProperties(line.properties as Record<string, PortableValue>) });
        if (relationships.length >= batchSize) await flushRelationships();
      }
    });
  } catch (error) {
    if (!(error instanceof RestoreError)) throw error;
    // The file checked out on the first pass and not on this one: it changed in between.
    throw new RestoreError(`${error.message} The file changed while it was restored: the database holds part of it; delete everything and restore again.`);
  }
  await flushNodes();
  await flushRelationships();

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

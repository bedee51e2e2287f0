import type { Driver } from 'neo4j-driver';
import { GraphChecksum, streamGraph, type GraphSummary } from './graphChecksum';

/** The first line of a dump file. */
export interface DumpHeader {
  type: 'header';
  format: 'trafficking-graph-dump';
  version: 1;
  createdAt: string;
  database: string;
}

/**
 * Lines of a dump file (JSON lines, one element a line):
 *
 *     {"type":"header","format":"trafficking-graph-dump","version":1,"createdAt":"…","database":"neo4j"}
 *     {"type":"node","id":"4:…:0","labels":["Node","Person"],"properties":{"id":"person:a", …}}
 *     {"type":"relationship","id":"5:…:0","label":"WORKS_FOR","start":"4:…:0","end":"4:…:7","properties":{…}}
 *     {"type":"end","nodes":…,"relationships":…,"labels":{…},"types":{…},"checksum":"…"}
 *
 * Every node comes before every relationship; `start`/`end` are the node `id`s of this file (Neo4j
 * element ids at dump time, meaningless elsewhere). Values use the portable encoding of portableValue.ts.
 */
export type DumpLine =
  | DumpHeader
  | { type: 'node'; id: string; labels: string[]; properties: Record<string, unknown> }
  | { type: 'relationship'; id: string; label: string; start: string; end: string; properties: Record<string, unknown> }
  | ({ type: 'end' } & GraphSummary);

/**
 * Streams the whole graph to `write`, one JSON line at a time, in one read transaction, and returns
 * the summary it also writes as the last line. `driver` must keep INTEGER and FLOAT apart
 * (`createDriver({ ..., losslessIntegers: true })`). `write` may return a promise (backpressure).
 *
 *     const summary = await dumpGraph(driver, 'neo4j', (line) => out.write(line));
 */
export async function dumpGraph(driver: Driver, database: string, write: (line: string) => void | Promise<void>): Promise<GraphSummary> {
  const emit = (line: DumpLine) => write(`${JSON.stringify(line)}\n`);
  await emit({ type: 'header', format: 'trafficking-graph-dump', version: 1, createdAt: new Date().toISOString(), database });
  const sum = new GraphChecksum();
  await streamGraph(driver, database, {
    node: (id, labels, properties) => {
      sum.addNode(id, labels, properties);
      return emit({ type: 'node', id, labels, properties });
    },
    relationship: (id, label, start, end, properties) => {
      sum.addRelationship(label, start, end, properties);
      return emit({ type: 'relationship', id, label, start, end, properties });
    },
  });
  const summary = sum.summary();
  await emit({ type: 'end', ...summary });
  return summary;
}

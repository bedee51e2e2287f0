import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Driver } from 'neo4j-driver';
import { createDriver } from '../../src/db/driver';
import { dumpGraph } from '../../src/ops/dump';
import { summariseGraph } from '../../src/ops/graphChecksum';
import { restoreGraph, RestoreError } from '../../src/ops/restore';
import { startTestServer, wipeDatabase, type TestServer } from '../helpers/testServer';
import { seed } from '../../src/ingest/seedDatasets';
import { migrate } from '../../src/db/migrations';

jest.setTimeout(180_000);

/** Counts per label and per relationship type, computed by Cypher independently of the dump code. */
async function countsByCypher(t: TestServer): Promise<{ labels: Record<string, number>; types: Record<string, number> }> {
  const labels = await t.cypher<{ label: string; n: number }>('MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label');
  const types = await t.cypher<{ type: string; n: number }>('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type');
  return {
    labels: Object.fromEntries(labels.map((r) => [r.label, r.n])),
    types: Object.fromEntries(types.map((r) => [r.type, r.n])),
  };
}

describe('db:dump and db:restore', () => {
  let t: TestServer;
  let lossless: Driver;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['public-record', 'demo'] });
    lossless = createDriver({ uri: process.env.NEO4J_TEST_URI!, losslessIntegers: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-dump-'));
    // Every value type a graph can hold, so the portable encoding is exercised beyond the seed data.
    await t.cypher(`
      CREATE (a:OpsTypes {
        int: 42, bigInt: 9007199254740993, float: 1.5, wholeFloat: 3.0, nan: 0.0/0.0, text: 'ŧëxt "quoted"\n', flag: false,
        ints: [1, 2, 3], floats: [1.0, 2.5], texts: ['a', 'b'],
        date: date('2025-07-04'), localTime: localtime('03:04:05.123456789'), time: time('03:04:05+07:00'),
        localDateTime: localdatetime('2025-07-04T03:04:05'), dateTime: datetime('2025-07-04T03:04:05.5+07:00'),
        zoned: datetime('2025-01-02T03:04:05[Asia/Bangkok]'), duration: duration('P1Y2M3DT4H5M6.7S'),
        geo: point({longitude: 100.5, latitude: 13.7}), cartesian3d: point({x: 1, y: 2, z: 3})
      })
      CREATE (b:OpsTypes:Second {int: 1})
      CREATE (a)-[:OPS_LINK {weight: 2.0, since: date('2024-01-01')}]->(b)
      CREATE (b)-[:OPS_LINK {weight: 2.0, since: date('2024-01-01')}]->(a)`);
  });
  afterAll(async () => {
    await lossless?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores into an empty database the same counts per label and type and the same checksum', async () => {
    const before = await summariseGraph(lossless, 'neo4j');
    const counts = await countsByCypher(t);
    expect(before.labels).toEqual(counts.labels);
    expect(before.types).toEqual(counts.types);
    expect(before.labels.Person).toBeGreaterThan(10);
    expect(before.types.SOURCED_BY).toBeGreaterThan(10);

    const file = path.join(dir, 'graph.jsonl');
    const lines: string[] = [];
    const dumped = await dumpGraph(lossless, 'neo4j', (line) => {
      lines.push(line);
    });
    fs.writeFileSync(file, lines.join(''));
    expect(dumped).toEqual(before);
    const parsed = lines.map((l) => JSON.parse(l) as { type: string });
    expect(parsed[0]).toMatchObject({ type: 'header', format: 'trafficking-graph-dump', version: 1 });
    expect(parsed.at(-1)).toEqual({ type: 'end', ...before });
    expect(parsed.filter((l) => l.type === 'node')).toHaveLength(before.nodes);
    expect(parsed.filter((l) => l.type === 'relationship')).toHaveLength(before.relationships);
    const typed = parsed.find((l) => l.type === 'node' && (l as unknown as { labels: string[] }).labels.includes('Second') === false && (l as unknown as { labels: string[] }).labels.includes('OpsTypes')) as unknown as { properties: Record<string, unknown> };
    expect(typed.properties).toMatchObject({
      int: 42,
      bigInt: { $int: '9007199254740993' },
      float: 1.5,
      wholeFloat: { $float: 3 },
      nan: { $float: 'NaN' },
      ints: [1, 2, 3],
      floats: [{ $float: 1 }, 2.5],
      date: { $date: '2025-07-04' },
      geo: { $point: { srid: 4326, x: 100.5, y: 13.7 } },
      cartesian3d: { $point: { srid: 9157, x: 1, y: 2, z: 3 } },
      duration: { $duration: { months: 14, days: 3, seconds: 14706, nanoseconds: 700000000 } },
    });

    await wipeDatabase(t.executor);
    expect((await summariseGraph(lossless, 'neo4j')).nodes).toBe(0);

    const restored = await restoreGraph(() => fs.createReadStream(file), t.executor, lossless, 'neo4j', { batchSize: 100 });
    expect(restored).toEqual(before);
    // Independently of the checksum code: Cypher sees the same counts, and no restore marker is left.
    expect(await countsByCypher(t)).toEqual(counts);
    const [typedBack] = await t.cypher<{ same: boolean }>(`
      MATCH (a:OpsTypes) WHERE NOT a:Second
      RETURN a.int = 42 AND a.bigInt = 9007199254740993 AND a.wholeFloat = 3.0 AND valueType(a.wholeFloat) STARTS WITH 'FLOAT'
        AND valueType(a.int) STARTS WITH 'INTEGER' AND isNaN(a.nan) AND a.date = date('2025-07-04')
        AND a.localTime = localtime('03:04:05.123456789') AND a.time = time('03:04:05+07:00')
        AND a.dateTime = datetime('2025-07-04T03:04:05.5+07:00') AND a.zoned = datetime('2025-01-02T03:04:05[Asia/Bangkok]')
        AND a.duration = duration('P1Y2M3DT4H5M6.7S') AND a.geo = point({longitude: 100.5, latitude: 13.7})
        AND a.cartesian3d = point({x: 1, y: 2, z: 3}) AND a.text = 'ŧëxt "quoted"\n' AS same`);
    expect(typedBack).toEqual({ same: true });
    // The migrations ran: the uniqueness constraints hold again.
    const constraints = await t.cypher<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name');
    expect(constraints.map((c) => c.name)).toEqual(expect.arrayContaining(['node_id', 'person_id', 'compound_id']));
    const indexes = await t.cypher<{ name: string }>("SHOW INDEXES YIELD name WHERE name = 'tg_restore_id' RETURN name");
    expect(indexes).toEqual([]);

    // The API answers from the restored graph as it did from the seeded one.
    const res = await t.graphql('{ compounds(first: 100) { totalCount } }');
    expect(res.data).toEqual({ compounds: { totalCount: counts.labels.Compound } });
  });

  it('refuses a database that is not empty, changing nothing', async () => {
    const before = await summariseGraph(lossless, 'neo4j');
    expect(before.nodes).toBeGreaterThan(0);
    const lines: string[] = [];
    await dumpGraph(lossless, 'neo4j', (line) => {
      lines.push(line);
    });
    const attempt = restoreGraph(() => Readable.from(lines), t.executor, lossless, 'neo4j');
    await expect(attempt).rejects.toThrow(RestoreError);
    await expect(restoreGraph(() => Readable.from(lines), t.executor, lossless, 'neo4j')).rejects.toThrow(/is not empty \(\d+ nodes/);
    expect(await summariseGraph(lossless, 'neo4j')).toEqual(before);
  });

  it('rejects a file that is not a dump, one cut short and one altered, before writing anything; the database stays empty and a good restore follows', async () => {
    await wipeDatabase(t.executor);
    await expect(restoreGraph(() => Readable.from(['{"hello":1}\n']), t.executor, lossless, 'neo4j')).rejects.toThrow(/not a trafficking-graph dump/);
    await migrate(t.executor);
    await seed(t.executor, ['demo']);
    const lines: string[] = [];
    await dumpGraph(lossless, 'neo4j', (line) => {
      lines.push(line);
    });
    await wipeDatabase(t.executor);
    const nodeLine = lines.findIndex((line) => line.includes('"type":"node"') && line.includes('demo-jade-harbour'));
    expect(nodeLine).toBeGreaterThan(0);
    const damaged = {
      'cut short': lines.slice(0, -1),
      altered: lines.map((line, i) => (i === nodeLine ? line.replace('demo-jade-harbour', 'demo-jade-harb0ur') : line)),
    };
    for (const [what, file] of Object.entries(damaged)) {
      const attempt = restoreGraph(() => Readable.from(file), t.executor, lossless, 'neo4j', { batchSize: 10 });
      await expect(attempt).rejects.toThrow(what === 'cut short' ? 'The dump has no end line: it was cut short.' : 'The dump file does not match its own checksum: it was modified or damaged.');
      // Nothing of it was written, not even the restore's own index: the next restore finds an empty database.
      expect({ what, nodes: (await summariseGraph(lossless, 'neo4j')).nodes }).toEqual({ what, nodes: 0 });
      expect(await t.cypher("SHOW INDEXES YIELD name WHERE name = 'tg_restore_id' RETURN name")).toEqual([]);
    }
    const restored = await restoreGraph(() => Readable.from(lines), t.executor, lossless, 'neo4j');
    expect(restored.nodes).toBeGreaterThan(0);
  });
});

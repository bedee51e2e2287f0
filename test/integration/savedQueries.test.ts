import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadConfig } from '../../src/config';
import { loadDataset } from '../../src/ingest/loadDataset';
import { createLogger } from '../../src/logger';
import { createSchema } from '../../src/schema';
import { builtinQueries, builtinQueryVersions, validateBuiltinQueries, versionFileProblems } from '../../src/saved/builtinQueries';
import { checkSavedDocument, documentHash } from '../../src/saved/savedDocument';
import { parseQueryCommand, runQueryCommand } from '../../src/saved/queryCommand';
import { startTestServer, type TestServer } from '../helpers/testServer';

/** The seed files, read directly: expected answers are computed from them, not from the server. */
const ROOT = path.resolve(__dirname, '..', '..');
const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed/demo/demo.json'), 'utf8'));
const publicRecord = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed/public-record/public-record.json'), 'utf8'));
const datasets = [publicRecord, demo];
const all = (key: string): any[] => datasets.flatMap((d) => d[key] ?? []);

/** How a table's sources column cites these source ids: `Title (source:id)`, first citation first, joined with "; ". */
const sourceTitleById = new Map<string, string>(all('sources').map((source) => [source.id, source.title]));
const citations = (ids: readonly string[]): string => [...new Set(ids)].map((id) => `${sourceTitleById.get(id)} (${id})`).join('; ');
/** A sources cell as a sorted list, for rows whose citations come in an order the seed does not fix. */
const citedList = (cell: unknown): string[] => String(cell).split('; ').filter(Boolean).sort();

/** Built-ins whose document changed since version 1 (a changed document is a new version). */
const BUILTIN_VERSIONS: Record<string, number> = {
  brokersAcrossCompounds: 3,
  compoundsByAlias: 2,
  compoundsInCountry: 2,
  compoundsOperatingAfterRaid: 2,
  sanctionTargets: 3,
  sourceSupports: 2,
  transferCorridors: 3,
};

/** Every identity value of every demo victim (names, aliases, birth dates, descriptions). */
const victims = demo.persons.filter((p: any) => (p.roles ?? []).includes('victim'));
const victimSecrets: string[] = victims.flatMap((v: any) => [v.name, ...(v.aliases ?? []), v.description, ...v.name.split(' ').filter((w: string) => w.length > 6 && !['(pseudonym)'].includes(w))]);

type Row = Record<string, string | number | boolean | null>;
interface SavedResult {
  name: string;
  version: number;
  columns: string[];
  rows: Row[];
  data: any;
}

let t: TestServer;
let investigator: string;
let journalist: string;
let admin: string;

beforeAll(async () => {
  t = await startTestServer({ datasets: ['public-record', 'demo'] });
  [investigator, journalist, admin] = await Promise.all([t.keyFor('investigator'), t.keyFor('journalist'), t.keyFor('admin')]);
}, 180_000);

afterAll(async () => {
  await t.close();
});

/** GET /saved/NAME with a query string, through the real HTTP server. */
async function getSaved(base: string, name: string, query: string, key?: string): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const response = await fetch(`${base}/saved/${name}${query ? `?${query}` : ''}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

async function runJson(name: string, query: string, key: string | null = investigator, base = t.url): Promise<SavedResult> {
  const res = await getSaved(base, name, query, key ?? undefined);
  if (res.status !== 200) throw new Error(`${name}?${query}: HTTP ${res.status} ${res.text}`);
  return JSON.parse(res.text) as SavedResult;
}

/** Picks some columns of each row, under short names. */
function pick(rows: Row[], columns: Record<string, string>): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(columns).map(([short, column]) => [short, row[column]])));
}

const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a).localeCompare(JSON.stringify(b));
const sorted = <T extends Record<string, unknown>>(rows: T[]): T[] => [...rows].sort(byKey);

/** An extra server on the same database (no wipe), with its own environment, as after a restart. */
async function startSameDatabaseServer(env: Record<string, string> = {}) {
  const server = await startTestServer({ wipe: false, env });
  return {
    ...server,
    /** Posts a raw GraphQL body (query, variables, extensions) with an optional key. */
    graphql: async (body: Record<string, unknown>, key?: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
    },
  };
}

describe('the built-in registry', () => {
  it('holds at least twelve queries, each valid against the schema with a title, description and described parameters', async () => {
    expect(() => validateBuiltinQueries(createSchema())).not.toThrow();
    const queries = builtinQueries();
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const res = await t.graphql<{ savedQueries: any[] }>('{ savedQueries { name title description version builtIn sha256 document path parameters { name type default description required } } }', {}, { key: journalist });
    expect(res.errors).toBeUndefined();
    expect(res.data!.savedQueries.map((q) => q.name)).toEqual(queries.map((q) => q.name));
    for (const listed of res.data!.savedQueries) {
      expect(listed.builtIn).toBe(true);
      expect({ name: listed.name, version: listed.version }).toEqual({ name: listed.name, version: BUILTIN_VERSIONS[listed.name] ?? 1 });
      expect(listed.sha256).toBe(documentHash(listed.document));
      expect(listed.path).toBe(`/saved/${listed.name}`);
      expect(listed.title.length).toBeGreaterThan(10);
      for (const parameter of listed.parameters) expect(parameter.description).toEqual(expect.any(String));
    }
    const corridors = res.data!.savedQueries.find((q) => q.name === 'transferCorridors');
    expect(corridors.parameters).toEqual([
      { name: 'minCount', type: 'Int', default: '1', description: expect.any(String), required: false },
      { name: 'currency', type: 'String', default: null, description: expect.any(String), required: false },
    ]);
  });

  it('keeps every earlier version of a built-in: listed by number, found by name and version, by hash and over HTTP', async () => {
    const earlier = builtinQueryVersions().map((q) => `${q.name} v${q.version}`).sort();
    expect(earlier).toEqual(Object.entries(BUILTIN_VERSIONS).flatMap(([name, current]) => Array.from({ length: current - 1 }, (_, i) => `${name} v${i + 1}`)).sort());
    const FIELDS = 'name version builtIn sha256 document path';
    for (const old of builtinQueryVersions()) {
      const res = await t.graphql<any>(`query ($name: String!, $version: Int) { savedQuery(name: $name, version: $version) { ${FIELDS} } latest: savedQuery(name: $name) { ${FIELDS} } }`, { name: old.name, version: old.version }, { key: journalist });
      expect(res.errors).toBeUndefined();
      const { savedQuery, latest } = res.data!;
      expect(savedQuery).toEqual({ name: old.name, version: old.version, builtIn: true, sha256: documentHash(savedQuery.document), document: old.document, path: `/saved/${old.name}?version=${old.version}` });
      expect(latest.version).toBe(BUILTIN_VERSIONS[old.name]);
      expect(latest.sha256).not.toBe(savedQuery.sha256);
      const byHash = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${journalist}` },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: savedQuery.sha256 } } }),
      });
      // Found by its hash: what comes back is that version's answer, or a request for its variables, never NOT_FOUND.
      const answer = (await byHash.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(answer.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('PERSISTED_QUERY_NOT_FOUND');
    }
    // Version 1 of transferCorridors runs as it was: no column of disputed prices.
    const v1 = await runJson('transferCorridors', 'version=1', journalist);
    const v2 = await runJson('transferCorridors', 'version=2', journalist);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.columns.filter((c) => !v1.columns.includes(c))).toEqual(['transferCorridors.prices.disputed']);
    expect(v1.rows).toEqual(v2.rows.map(({ ['transferCorridors.prices.disputed']: _disputed, ...row }) => row));
    const run = await t.graphql<any>('{ runSavedQuery(name: "sanctionTargets", version: 1) { version } }', {}, { key: journalist });
    expect(run.data!.runSavedQuery).toEqual({ version: 1 });
    const none = await t.graphql<any>('query ($v: Int) { savedQuery(name: "transferCorridors", version: $v) { version } }', { v: BUILTIN_VERSIONS.transferCorridors! + 1 }, { key: journalist });
    expect(none.data!.savedQuery).toBeNull();
  });

  it('refuses a file of an earlier version that is misnamed, unnumbered or not earlier than the current version', () => {
    const current = builtinQueries().find((q) => q.name === 'transferCorridors')!;
    const at = (version: number) => ({ ...current, version });
    expect(versionFileProblems([{ query: at(1), file: 'transferCorridors.v1.graphql', fileVersion: 1 }], builtinQueries())).toEqual([]);
    expect(
      versionFileProblems(
        [
          { query: at(1), file: 'transferCorridors.graphql', fileVersion: Number.NaN },
          { query: { ...at(1), name: 'noSuchQuery' }, file: 'noSuchQuery.v1.graphql', fileVersion: 1 },
          { query: at(1), file: `transferCorridors.v${current.version + 1}.graphql`, fileVersion: current.version + 1 },
          { query: at(current.version), file: `transferCorridors.v${current.version}.graphql`, fileVersion: current.version },
        ],
        builtinQueries(),
      ),
    ).toEqual([
      'versions/transferCorridors.graphql: the file name must be NAME.vN.graphql',
      'versions/noSuchQuery.v1.graphql: no built-in query noSuchQuery',
      `versions/transferCorridors.v${current.version + 1}.graphql: its "# version:" is 1, its file name says ${current.version + 1}`,
      `versions/transferCorridors.v${current.version}.graphql: version ${current.version} is not before the current version ${current.version}`,
    ]);
  });

  it('rejects documents that are not one valid query', () => {
    const schema = createSchema();
    expect(checkSavedDocument(schema, '{ compounds { nodes { nope } } }').problems).toEqual([expect.stringContaining('nope')]);
    expect(checkSavedDocument(schema, 'mutation m { retireSavedQuery(name: "x") { name } }').problems).toEqual(['must be a query, not a mutation']);
    expect(checkSavedDocument(schema, '{ runSavedQuery(name: "x") { name } }').problems).toEqual(['may not select runSavedQuery']);
    expect(checkSavedDocument(schema, 'query a { __typename } query b { __typename }').problems).toEqual(['must contain exactly one operation (found 2)']);
  });
});

describe('every built-in query on the seed data', () => {
  it('compoundsInCountry: the compounds of a country with each operator', async () => {
    const result = await runJson('compoundsInCountry', 'country=kh');
    const compounds = all('compounds').filter((c) => c.country === 'kh');
    const operates = all('relationships').filter((r) => r.type === 'OPERATES');
    const expected = compounds.flatMap((c) => {
      const ops = operates.filter((r) => r.to === c.id);
      return ops.length ? ops.map((r) => ({ compound: c.id, operator: r.from, start: r.start ?? null, end: r.end ?? null })) : [{ compound: c.id, operator: null, start: null, end: null }];
    });
    const rows = pick(result.rows, {
      compound: 'compounds.nodes.id',
      operator: 'compounds.nodes.operators.other.id',
      start: 'compounds.nodes.operators.start',
      end: 'compounds.nodes.operators.end',
    });
    expect(sorted(rows)).toEqual(sorted(expected));
    // Every row says how many compounds the country has: a list cut at 100 shows as cut.
    expect([...new Set(result.rows.map((row) => row['compounds.totalCount']))]).toEqual([compounds.length]);
    // Compounds come in name order, each compound's rows together.
    const order = [...new Set(rows.map((r) => r.compound))];
    expect(order).toEqual([...compounds].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((c) => c.id));
    expect(result.rows.every((row) => String(row.sources).length > 0)).toBe(true);

    // On 2024-07-01 Riverbend is run by Bluewater only (demo README, "asOf" table).
    const asOf = await runJson('compoundsInCountry', 'country=kh&asOf=2024-07-01');
    const riverbend = asOf.rows.filter((row) => row['compounds.nodes.id'] === 'compound:demo-riverbend-park');
    expect(riverbend.map((row) => row['compounds.nodes.operators.other.id'])).toEqual(['organisation:demo-bluewater-holdings']);
  });

  it('compoundsOperatingAfterRaid: Jade Harbour, raided on 2024-05-14 and operating again', async () => {
    const result = await runJson('compoundsOperatingAfterRaid', '');
    expect(pick(result.rows, { compound: 'raidedCompounds.compound.id', status: 'raidedCompounds.compound.status', lastRaid: 'raidedCompounds.lastRaid', raid: 'raidedCompounds.raids.id' })).toEqual([
      { compound: 'compound:demo-jade-harbour', status: 'OPERATING', lastRaid: '2024-05-14', raid: 'event:demo-2024-05-14-raid-jade-harbour' },
    ]);
    const raided = await runJson('compoundsOperatingAfterRaid', 'status=RAIDED');
    const expected = all('events')
      .filter((e) => e.kind === 'raid' && all('compounds').find((c) => c.id === e.compound)?.status === 'raided')
      .map((e) => ({ compound: e.compound, raid: e.id }));
    expect(sorted(pick(raided.rows, { compound: 'raidedCompounds.compound.id', raid: 'raidedCompounds.raids.id' }))).toEqual(sorted(expected));
    expect(expected.map((e) => e.compound).sort()).toEqual(['compound:demo-new-fern', 'compound:kk-park']);
  });

  it("compoundsOperatingAfterRaid: each row cites the compound's record, its status history (raids and status changes) and the raid", async () => {
    const statusEventsOf = (compound: string) =>
      all('events')
        .filter((e) => e.compound === compound && (e.kind === 'raid' || (e.kind === 'status_change' && e.status)))
        .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
    const expectedFor = (rows: Row[]) =>
      rows.map((row) => {
        const compound = all('compounds').find((c) => c.id === row['raidedCompounds.compound.id']);
        const raid = all('events').find((e) => e.id === row['raidedCompounds.raids.id']);
        return { raid: raid.id, sources: citations([...compound.sources, ...statusEventsOf(compound.id).flatMap((e) => e.sources), ...raid.sources]) };
      });
    const operating = await runJson('compoundsOperatingAfterRaid', '');
    expect(pick(operating.rows, { raid: 'raidedCompounds.raids.id', sources: 'sources' })).toEqual(expectedFor(operating.rows));
    // The current status rests on the last of the four status periods: the query reads the sources of each.
    const [jade] = operating.data.raidedCompounds;
    expect(jade.compound.statusHistory.map((period: any) => period.event.sources.map((source: any) => source.id))).toEqual(
      statusEventsOf('compound:demo-jade-harbour').map((e) => e.sources),
    );
    expect(jade.compound.statusHistory).toHaveLength(4);
    expect(operating.rows[0]!.sources).toBe(citations(['source:demo-synthetic', 'source:demo-synthetic-casefile-b']));
    const raided = await runJson('compoundsOperatingAfterRaid', 'status=RAIDED');
    expect(sorted(pick(raided.rows, { raid: 'raidedCompounds.raids.id', sources: 'sources' }))).toEqual(sorted(expectedFor(raided.rows)));
    expect(raided.rows.find((row) => row['raidedCompounds.compound.id'] === 'compound:kk-park')!.sources).toBe(citations(['source:al-jazeera-2025-10-21-kk-park']));
  });

  it('victimsSoldRepeatedly: victims with at least N transfers, each sale in date order', async () => {
    const transfersOf = (id: string) =>
      demo.events
        .filter((e: any) => e.kind === 'transfer' && e.participants.some((p: any) => p.id === id && p.role === 'victim'))
        .sort((a: any, b: any) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
    const expectedFor = (min: number) =>
      victims
        .map((v: any) => ({ id: v.id, transfers: transfersOf(v.id) }))
        .filter((v: any) => v.transfers.length >= min)
        .sort((a: any, b: any) => b.transfers.length - a.transfers.length || a.id.localeCompare(b.id))
        .flatMap((v: any) => v.transfers.map((e: any) => ({ victim: v.id, count: v.transfers.length, transfer: e.id, price: e.price, currency: e.currency })));
    const columns = {
      victim: 'repeatedlySoldVictims.victim.id',
      count: 'repeatedlySoldVictims.transferCount',
      transfer: 'repeatedlySoldVictims.transfers.id',
      price: 'repeatedlySoldVictims.transfers.price',
      currency: 'repeatedlySoldVictims.transfers.currency',
    };
    const two = await runJson('victimsSoldRepeatedly', 'minTransfers=2');
    expect(pick(two.rows, columns)).toEqual(expectedFor(2));
    expect(new Set(two.rows.map((r) => r[columns.victim]))).toEqual(new Set(['person:demo-victim-0001', 'person:demo-victim-0002', 'person:demo-victim-0004', 'person:demo-victim-0005']));
    const three = await runJson('victimsSoldRepeatedly', 'minTransfers=3', journalist);
    expect(pick(three.rows, columns)).toEqual(expectedFor(3));
    // Journalists see the pseudonym as the name, and the public sees no victim at all.
    expect(three.rows.every((r) => r['repeatedlySoldVictims.victim.name'] === r['repeatedlySoldVictims.victim.pseudonym'])).toBe(true);
    expect((await runJson('victimsSoldRepeatedly', 'minTransfers=1', null)).rows).toEqual([]);
  });

  it('transferCorridors: corridors by volume with per-currency median prices (demo README)', async () => {
    const result = await runJson('transferCorridors', '');
    const rows = pick(result.rows, {
      from: 'transferCorridors.from.id',
      to: 'transferCorridors.to.id',
      count: 'transferCorridors.count',
      first: 'transferCorridors.firstDate',
      last: 'transferCorridors.lastDate',
      currency: 'transferCorridors.prices.currency',
      n: 'transferCorridors.prices.count',
      min: 'transferCorridors.prices.min',
      median: 'transferCorridors.prices.median',
      max: 'transferCorridors.prices.max',
      disputed: 'transferCorridors.prices.disputed',
    });
    // Each corridor cites the sources of its transfers, in date order of first citation.
    const titles = new Map<string, string>(demo.sources.map((x: any) => [x.id, x.title]));
    const citations = new Map<string, string>();
    for (const e of [...demo.events].filter((x: any) => x.kind === 'transfer').sort((a: any, b: any) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))) {
      const key = `${e.fromCompound}>${e.toCompound}`;
      const seen = (citations.get(key) ?? '').split('; ').filter(Boolean);
      for (const id of e.sources) if (!seen.includes(`${titles.get(id)} (${id})`)) seen.push(`${titles.get(id)} (${id})`);
      citations.set(key, seen.join('; '));
    }
    // Version 3 cites the two compounds' records too: their names and countries are on the row.
    expect(result.version).toBe(3);
    const compoundCitations = (id: unknown): string[] => (demo.compounds.find((c: any) => c.id === id).sources as string[]).map((x) => `${titles.get(x)} (${x})`);
    expect(result.rows.map((r) => citedList(r.sources))).toEqual(
      result.rows.map((r) =>
        [...new Set([
          ...String(citations.get(`${r['transferCorridors.from.id']}>${r['transferCorridors.to.id']}`)).split('; '),
          ...compoundCitations(r['transferCorridors.from.id']),
          ...compoundCitations(r['transferCorridors.to.id']),
        ])].sort(),
      ),
    );
    expect(result.rows.every((r) => String(r.sources).includes('(source:demo-synthetic)'))).toBe(true);
    // Version 2 cites the transfers alone, in date order of first citation.
    const v2 = await runJson('transferCorridors', 'version=2');
    expect(v2.rows.map((r) => r.sources)).toEqual(v2.rows.map((r) => citations.get(`${r['transferCorridors.from.id']}>${r['transferCorridors.to.id']}`)));
    const rb = { from: 'compound:demo-riverbend-park', to: 'compound:demo-jade-harbour', count: 5, first: '2023-06-12', last: '2024-01-22' };
    const jh = { from: 'compound:demo-jade-harbour', to: 'compound:demo-cloudgate', count: 3, first: '2023-10-03', last: '2024-04-02' };
    // One USD sale on Riverbend -> Jade Harbour is disputed: claims give it 9000 and 11 000 (it is stored at 9000).
    expect(rows).toEqual([
      { ...rb, currency: 'USD', n: 3, min: 8000, median: 8500, max: 9000, disputed: 1 },
      { ...rb, currency: 'USDT', n: 2, min: 9500, median: 9750, max: 10000, disputed: 0 },
      { ...jh, currency: 'USD', n: 1, min: 11000, median: 11000, max: 11000, disputed: 0 },
      { ...jh, currency: 'USDT', n: 2, min: 12000, median: 12500, max: 13000, disputed: 0 },
      { from: 'compound:demo-cloudgate', to: 'compound:demo-silver-fern', count: 1, first: '2024-02-14', last: '2024-02-14', currency: 'USDT', n: 1, min: 14000, median: 14000, max: 14000, disputed: 0 },
      { from: 'compound:demo-lantern-bay', to: 'compound:demo-new-fern', count: 1, first: '2024-12-10', last: '2024-12-10', currency: 'USD', n: 1, min: 10000, median: 10000, max: 10000, disputed: 0 },
    ]);
    const disputedClaims = all('claims').filter((c) => c.subject === 'event:demo-2023-11-transfer' && c.property === 'price');
    expect(disputedClaims.map((c) => Number(c.value)).sort((x, y) => x - y)).toEqual([9000, 11000]);
    const corridors = await t.graphql<any>('{ transferCorridors { from { id } to { id } disputedTransfers { id price claims { value disputed } } } }', {}, { key: journalist });
    expect(corridors.data!.transferCorridors.filter((c: any) => c.disputedTransfers.length)).toEqual([
      {
        from: { id: 'compound:demo-riverbend-park' },
        to: { id: 'compound:demo-jade-harbour' },
        disputedTransfers: [{ id: 'event:demo-2023-11-transfer', price: 9000, claims: [{ value: '11000', disputed: true }, { value: '9000', disputed: true }] }],
      },
    ]);
    const usdt = await runJson('transferCorridors', 'minCount=2&currency=USDT');
    expect(pick(usdt.rows, { from: 'transferCorridors.from.id', count: 'transferCorridors.count', median: 'transferCorridors.prices.median' })).toEqual([
      // Equal volumes: by origin id.
      { from: 'compound:demo-jade-harbour', count: 2, median: 12500 },
      { from: 'compound:demo-riverbend-park', count: 2, median: 9750 },
    ]);
  });

  it('whoLinks: the shortest chain from a broker to a network, hop by hop (demo README, graph A)', async () => {
    const result = await runJson('whoLinks', 'from=person:demo-broker-alpha&to=organisation:demo-red-crane-network&maxHops=2');
    expect(pick(result.rows, { length: 'paths.length', from: 'paths.hops.from.id', type: 'paths.hops.type', direction: 'paths.hops.direction', to: 'paths.hops.to.id', sources: 'sources' })).toEqual([
      { length: 2, from: 'person:demo-broker-alpha', type: 'WORKS_AT', direction: 'FORWARD', to: 'compound:demo-riverbend-park', sources: 'Synthetic demonstration scenario (fictional) (source:demo-synthetic)' },
      { length: 2, from: 'compound:demo-riverbend-park', type: 'OPERATES', direction: 'BACKWARD', to: 'organisation:demo-red-crane-network', sources: 'Synthetic demonstration scenario (fictional) (source:demo-synthetic)' },
    ]);
  });

  it('sharedConnections: entities tied directly to both', async () => {
    const connectorsOf = (a: string, b: string) => {
      const rels = all('relationships');
      const neighbours = (id: string) => new Set(rels.flatMap((r) => (r.from === id ? [r.to] : r.to === id ? [r.from] : [])));
      const nb = neighbours(b);
      return [...neighbours(a)].filter((id) => id !== b && nb.has(id)).sort();
    };
    for (const [a, b] of [
      ['person:demo-broker-alpha', 'organisation:demo-red-crane-network'],
      ['person:chen-zhi', 'organisation:jin-bei-group'],
      ['organisation:demo-bluewater-holdings', 'organisation:demo-northern-hills-militia'],
    ] as const) {
      const result = await runJson('sharedConnections', `a=${a}&b=${b}`);
      expect([...new Set(result.rows.map((r) => r['connectors.entity.id']))].sort()).toEqual(connectorsOf(a, b));
    }
    const alpha = await runJson('sharedConnections', 'a=person:demo-broker-alpha&b=organisation:demo-red-crane-network');
    expect(pick(alpha.rows, { id: 'connectors.entity.id', via: 'connectors.fromRelations.type', to: 'connectors.toRelations.type', end: 'connectors.toRelations.end' })).toEqual([
      { id: 'compound:demo-riverbend-park', via: 'WORKS_AT', to: 'OPERATES', end: '2024-06' },
    ]);
    // Red Crane stopped running Riverbend in 2024-06: in 2025 nothing ties the two directly.
    expect((await runJson('sharedConnections', 'a=person:demo-broker-alpha&b=organisation:demo-red-crane-network&asOf=2025')).rows).toEqual([]);
  });

  it('sourceSupports: every node citing a source', async () => {
    const id = 'source:ofac-2025-10-14-prince-group';
    const result = await runJson('sourceSupports', `source=${id}`);
    const expected = [...all('persons'), ...all('organisations'), ...all('compounds'), ...all('events')].filter((n) => (n.sources ?? []).includes(id)).map((n) => n.id).sort();
    expect(result.rows.map((r) => r['source.supports.id'])).toEqual(expected);
    expect(new Set(result.rows.map((r) => r['source.reliability']))).toEqual(new Set(['A']));
    const named = result.rows.find((r) => r['source.supports.id'] === 'organisation:prince-holding-group')!;
    expect(named['source.supports.name']).toBe(publicRecord.organisations.find((o: any) => o.id === 'organisation:prince-holding-group').name);
  });

  it('sourceSupports: every row cites the source, and only it (what a row states is that this source supports it)', async () => {
    const id = 'source:ofac-2025-10-14-prince-group';
    const result = await runJson('sourceSupports', `source=${id}`);
    expect(result.rows.length).toBeGreaterThan(1);
    expect(result.rows.map((r) => r.sources)).toEqual(result.rows.map(() => citations([id])));
    expect(result.columns.filter((column) => column.startsWith('sources'))).toEqual(['sources']);
    const demoSource = await runJson('sourceSupports', 'source=source:demo-synthetic', journalist);
    expect(demoSource.rows.length).toBeGreaterThan(10);
    expect(demoSource.rows.every((r) => r.sources === citations(['source:demo-synthetic']))).toBe(true);
    // An id that is no source gives no row, and never cites the thing it names.
    expect((await runJson('sourceSupports', 'source=source:no-such-source')).rows).toEqual([]);
    const notASource = await runJson('sourceSupports', 'source=person:chen-zhi');
    expect(notASource.rows.map((r) => r.sources)).toEqual(['']);
  });

  it("figureTimeline: a figure's events in date order with their part", async () => {
    const id = 'person:chen-zhi';
    const result = await runJson('figureTimeline', `id=${id}`);
    const expected = all('events')
      .flatMap((e) => e.participants.filter((p: any) => p.id === id).map((p: any) => ({ event: e.id, role: p.role.toUpperCase(), date: e.date })))
      .sort((a, b) => a.date.localeCompare(b.date) || a.event.localeCompare(b.event));
    expect(pick(result.rows, { event: 'figure.events.event.id', role: 'figure.events.role', date: 'figure.events.event.date' })).toEqual(expected);
    expect(expected).toHaveLength(5);
    const sanctions = await runJson('figureTimeline', `id=${id}&kinds=SANCTION`);
    expect(sanctions.rows.map((r) => r['figure.events.event.id'])).toEqual(expected.filter((e) => e.event.includes('sanction') || e.event.includes('designation')).map((e) => e.event));
  });

  it('sanctionTargets: every sanction target with the compounds it operates, protects or works at', async () => {
    const result = await runJson('sanctionTargets', '');
    const rels = all('relationships');
    const tiesOf = (target: string): any[] => {
      const isOrg = target.startsWith('organisation:');
      const types = isOrg ? ['OPERATES', 'PROTECTS'] : ['OPERATES', 'WORKS_AT'];
      return rels.filter((r) => r.from === target && types.includes(r.type) && r.to.startsWith('compound:'));
    };
    // Each row cites the sanction's sources, then those of the target's tie to the compound.
    const expected = all('events')
      .filter((e) => e.kind === 'sanction')
      .flatMap((e) =>
        e.participants
          .filter((p: any) => p.role === 'target')
          .flatMap((p: any) => {
            const ties = tiesOf(p.id);
            return (ties.length ? ties : [null]).map((tie: any) => ({
              event: e.id,
              eventCompound: e.compound ?? null,
              target: p.id,
              compound: tie?.to ?? null,
              sources: citations([...e.sources, ...(tie?.sources ?? [])]),
            }));
          }),
      );
    const rows = pick(result.rows, {
      event: 'events.nodes.id',
      eventCompound: 'events.nodes.compound.id',
      target: 'events.nodes.participants.entity.id',
      compound: 'events.nodes.participants.entity.compounds.other.id',
      sources: 'sources',
    });
    expect(sorted(rows)).toEqual(sorted(expected));
    // OFAC's designation names Jin Bei Group; that the group operates Jin Bei 4 comes from the EU regulation.
    expect(rows.filter((r) => r.event === 'event:2025-10-14-ofac-prince-group-designation' && r.compound === 'compound:jin-bei-4')).toEqual([
      {
        event: 'event:2025-10-14-ofac-prince-group-designation',
        eventCompound: null,
        target: 'organisation:jin-bei-group',
        compound: 'compound:jin-bei-4',
        sources: citations(['source:ofac-2025-10-14-prince-group', 'source:eu-32026r1895']),
      },
    ]);
    expect(rows).toContainEqual(expect.objectContaining({ event: 'event:2025-10-14-ofac-prince-group-designation', eventCompound: null, target: 'organisation:prince-holding-group', compound: 'compound:mango-park' }));
    const dates = result.rows.map((r) => String(r['events.nodes.date']));
    expect(dates).toEqual([...dates].sort());
    expect([...new Set(result.rows.map((row) => row['events.totalCount']))]).toEqual([all('events').filter((e) => e.kind === 'sanction').length]);
  });

  it('compoundsByAlias: compounds whose name or an alias contains the text', async () => {
    for (const text of ['jinyun', 'FERN', 'park']) {
      const result = await runJson('compoundsByAlias', `name=${text}`);
      const expected = all('compounds')
        .filter((c) => [c.name, ...(c.aliases ?? [])].some((n: string) => n.toLowerCase().includes(text.toLowerCase())))
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id))
        .map((c) => ({ id: c.id, aliases: (c.aliases ?? []).join('; ') }));
      expect(pick(result.rows, { id: 'compounds.nodes.id', aliases: 'compounds.nodes.aliases' })).toEqual(expected);
      expect(result.rows.every((row) => row['compounds.totalCount'] === expected.length)).toBe(true);
    }
  });

  it('brokersAcrossCompounds: brokers by the number of compounds they serve (demo README)', async () => {
    const result = await runJson('brokersAcrossCompounds', 'minCompounds=3');
    const rows = pick(result.rows, { broker: 'brokersAcrossCompounds.broker.id', n: 'brokersAcrossCompounds.compoundCount', transfers: 'brokersAcrossCompounds.transferCount', compound: 'brokersAcrossCompounds.reach.compound.id' });
    const charlie = ['compound:demo-cloudgate', 'compound:demo-lantern-bay', 'compound:demo-new-fern', 'compound:demo-silver-fern'];
    const bravo = ['compound:demo-cloudgate', 'compound:demo-jade-harbour', 'compound:demo-riverbend-park'];
    const names = new Map<string, string>(demo.compounds.map((c: any) => [c.id, c.name]));
    const byName = (ids: string[]) => [...ids].sort((a, b) => names.get(a)!.localeCompare(names.get(b)!));
    expect(rows).toEqual([
      ...byName(charlie).map((compound) => ({ broker: 'person:demo-broker-charlie', n: 4, transfers: 2, compound })),
      ...byName(bravo).map((compound) => ({ broker: 'person:demo-broker-bravo', n: 3, transfers: 5, compound })),
    ]);
    const two = await runJson('brokersAcrossCompounds', '');
    expect([...new Set(two.rows.map((r) => r['brokersAcrossCompounds.broker.id']))]).toEqual(['person:demo-broker-charlie', 'person:demo-broker-bravo', 'person:demo-broker-alpha']);
  });

  it("brokersAcrossCompounds: each row cites the broker's record and that compound's own evidence: its record, the ties there as broker, the transfers from or to it", async () => {
    const evidenceOf = (broker: string, compound: string): string[] => {
      const record = all('persons').find((p) => p.id === broker);
      const place = all('compounds').find((c) => c.id === compound);
      const ties = all('relationships').filter((r) => r.type === 'WORKS_AT' && r.from === broker && r.to === compound && String(r.position ?? '').toLowerCase() === 'broker');
      const transfers = all('events').filter(
        (e) => e.kind === 'transfer' && (e.fromCompound === compound || e.toCompound === compound) && e.participants.some((p: any) => p.id === broker && p.role === 'broker'),
      );
      return citedList(citations([...record.sources, ...place.sources, ...ties.flatMap((r) => r.sources), ...transfers.flatMap((e) => e.sources)]));
    };
    const result = await runJson('brokersAcrossCompounds', '');
    expect(result.version).toBe(3);
    const rows = pick(result.rows, { broker: 'brokersAcrossCompounds.broker.id', compound: 'brokersAcrossCompounds.reach.compound.id', sources: 'sources' });
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.map((r) => ({ ...r, sources: citedList(r.sources) }))).toEqual(rows.map((r) => ({ ...r, sources: evidenceOf(String(r.broker), String(r.compound)) })));
    // Rows of one broker no longer all cite the same: a compound reached only through a tie does not cite the transfers.
    const varies = [...new Set(rows.map((r) => r.broker))].filter((broker) => new Set(rows.filter((r) => r.broker === broker).map((r) => r.sources)).size > 1);
    expect(varies.length).toBeGreaterThan(0);
    // One row per compound, in the order of `compounds`: the cited ties and transfers add none.
    expect(rows.map((r) => [r.broker, r.compound])).toEqual(result.data.brokersAcrossCompounds.flatMap((reach: any) => reach.reach.map((c: any) => [reach.broker.id, c.compound.id])));
    expect(result.columns.some((column) => column.includes('transfers') || column.includes('ties'))).toBe(false);
  });

  it("brokersAcrossCompounds version 2 still runs as cited: every row cites all of the broker's evidence", async () => {
    const evidenceOf = (broker: string): string[] => {
      const record = all('persons').find((p) => p.id === broker);
      const worksAt = all('relationships').filter((r) => r.type === 'WORKS_AT' && r.from === broker);
      const transfers = all('events').filter((e) => e.kind === 'transfer' && e.participants.some((p: any) => p.id === broker && p.role === 'broker'));
      return citedList(citations([...record.sources, ...worksAt.flatMap((r) => r.sources), ...transfers.flatMap((e) => e.sources)]));
    };
    const result = await runJson('brokersAcrossCompounds', 'version=2');
    expect(result.version).toBe(2);
    const rows = pick(result.rows, { broker: 'brokersAcrossCompounds.broker.id', compound: 'brokersAcrossCompounds.compounds.id', sources: 'sources' });
    expect(rows.map((r) => ({ ...r, sources: citedList(r.sources) }))).toEqual(rows.map((r) => ({ ...r, sources: evidenceOf(String(r.broker)) })));
    // Only a transfer Alpha brokered (event:demo-2023-11-transfer) cites case file B: Alpha's rows do, Bravo's do not.
    const alpha = rows.filter((r) => r.broker === 'person:demo-broker-alpha');
    expect(alpha.map((r) => r.sources)).toEqual(alpha.map(() => citations(['source:demo-synthetic', 'source:demo-synthetic-casefile-b'])));
    expect(rows.filter((r) => r.broker === 'person:demo-broker-bravo').map((r) => r.sources)).toEqual([1, 2, 3].map(() => citations(['source:demo-synthetic'])));
    // One row per compound: the cited transfers and ties add none.
    expect(rows.map((r) => [r.broker, r.compound])).toEqual(result.data.brokersAcrossCompounds.flatMap((reach: any) => reach.compounds.map((c: any) => [reach.broker.id, c.id])));
    expect(result.columns.some((column) => column.includes('transfers') || column.includes('worksAt'))).toBe(false);
  });

  it('disputedClaims: every disputed property with each claim and its sources', async () => {
    const result = await runJson('disputedClaims', '', journalist);
    const claims = all('claims');
    const groups = new Map<string, any[]>();
    for (const c of claims) groups.set(`${c.subject}|${c.property}`, [...(groups.get(`${c.subject}|${c.property}`) ?? []), c]);
    const sourceTitles = new Map<string, string>(all('sources').map((s) => [s.id, s.title]));
    const expected = [...groups.values()]
      .filter((g) => new Set(g.map((c) => String(c.value))).size > 1)
      .flat()
      .map((c) => ({ subject: c.subject, property: c.property, claim: c.id, value: String(c.value), sources: c.sources.map((s: string) => `${sourceTitles.get(s)} (${s})`).sort().join('; ') }));
    const rows = pick(result.rows, { subject: 'disputedClaims.subject.id', property: 'disputedClaims.property', claim: 'disputedClaims.claims.id', value: 'disputedClaims.claims.value', sources: 'sources' }).map((r) => ({
      ...r,
      sources: String(r.sources).split('; ').sort().join('; '),
    }));
    expect(sorted(rows)).toEqual(sorted(expected));
    const one = await runJson('disputedClaims', 'subject=event:demo-2023-11-transfer');
    expect(pick(one.rows, { claim: 'disputedClaims.claims.id', value: 'disputedClaims.claims.value' })).toEqual([
      { claim: 'claim:demo-2023-11-transfer-price-11000', value: '11000' },
      { claim: 'claim:demo-2023-11-transfer-price-9000', value: '9000' },
    ]);
  });

  it('eventsInWindow: events overlapping a period, in date order (demo README "Event filter checks")', async () => {
    const transfers = await runJson('eventsInWindow', 'from=2024-01-01&to=2024-12-31&kinds=TRANSFER');
    expect(transfers.rows.map((r) => r['events.nodes.id'])).toEqual([
      'event:demo-2024-01-22-transfer',
      'event:demo-2024-02-14-transfer',
      'event:demo-2024-03-11-transfer',
      'event:demo-2024-04-02-transfer',
      'event:demo-2024-12-10-transfer',
    ]);
    expect(transfers.rows.every((r) => r['events.totalCount'] === 5)).toBe(true);
    const raids = await runJson('eventsInWindow', 'from=2024&to=2025&kinds=RAID');
    expect(raids.rows.map((r) => r['events.nodes.id'])).toEqual(['event:demo-2024-05-14-raid-jade-harbour', 'event:demo-2025-03-05-raid-new-fern', 'event:2025-10-16-raid-kk-park']);
    const november = await runJson('eventsInWindow', 'from=2023-11-15&to=2023-11-20&kinds=TRANSFER');
    expect(pick(november.rows, { id: 'events.nodes.id', from: 'events.nodes.fromCompound.name', price: 'events.nodes.price', currency: 'events.nodes.currency' })).toEqual([
      { id: 'event:demo-2023-11-transfer', from: 'Riverbend Demo Park', price: 9000, currency: 'USD' },
    ]);
  });

  it("every built-in query's README example runs for a journalist", async () => {
    for (const query of builtinQueries()) {
      const result = await runJson(query.name, query.example, journalist);
      expect({ name: query.name, hasRows: result.rows.length > 0 }).toEqual({ name: query.name, hasRows: true });
    }
  });
});

describe('CSV', () => {
  it('parses back to the JSON rows for every built-in query, with a BOM, a header of the columns and a sources column', async () => {
    for (const query of builtinQueries()) {
      const json = await runJson(query.name, query.example);
      const csv = await getSaved(t.url, query.name, `${query.example}${query.example ? '&' : ''}format=csv`, investigator);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${query.name}-v${query.version}.csv"`);
      expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...records] = parseCsv(csv.text, { bom: true, relax_column_count: false }) as string[][];
      expect(header).toEqual(json.columns);
      expect(header![header!.length - 1]).toBe('sources');
      expect(records).toEqual(json.rows.map((row) => json.columns.map((c) => (row[c] === null ? '' : String(row[c])))));
    }
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and keeps UTF-8', async () => {
    const kh = await getSaved(t.url, 'compoundsInCountry', 'country=kh&format=csv', investigator);
    expect(kh.text).toContain(',JH Zone (demo); Building Nine Demo; 翡翠港示范区,');
    // A title with commas is quoted; a title with quotes has them doubled inside quotes.
    const eu = publicRecord.events.find((e: any) => e.id === 'event:2026-07-30-eu-hr-sanction-32026r1895').title as string;
    expect(eu).toContain(',');
    expect((await getSaved(t.url, 'sanctionTargets', 'format=csv', investigator)).text).toContain(`,"${eu}",`);
    const doj = publicRecord.sources.find((s: any) => s.id === 'source:doj-edny-2025-10-14-chen-zhi-indictment').title as string;
    expect(doj).toContain('"');
    const timeline = await getSaved(t.url, 'figureTimeline', 'id=person:chen-zhi&format=csv', investigator);
    expect(timeline.text).toContain(`"${doj.replace(/"/g, '""')} (source:doj-edny-2025-10-14-chen-zhi-indictment)`);
    expect(timeline.text.split('\r\n').length).toBe(1 + 5 + 1);
  });
});

describe('parameters', () => {
  it('rejects a missing parameter before anything reaches Neo4j, naming it', async () => {
    const res = await getSaved(t.url, 'compoundsInCountry', '');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors[0]).toEqual({ message: 'Parameter "country" (String!) is required.', extensions: { code: 'BAD_USER_INPUT', argument: 'country' } });
    const graphql = await t.graphql('query { runSavedQuery(name: "eventsInWindow", variables: { from: "2024" }) { rows } }');
    expect(graphql.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'to' });
    expect(graphql.extensions!.cypherRoundTrips).toBe(0);
  });

  it('rejects a mistyped parameter, naming it', async () => {
    const cases: [string, string, string][] = [
      ['victimsSoldRepeatedly', 'minTransfers=lots', 'minTransfers'],
      ['eventsInWindow', 'from=2024-13-40&to=2025', 'from'],
      ['eventsInWindow', 'from=2024&to=2025&kinds=RAID,PARTY', 'kinds'],
      ['compoundsOperatingAfterRaid', 'status=GONE', 'status'],
      ['compoundsByAlias', 'name=x&colour=red', 'colour'],
    ];
    for (const [name, query, argument] of cases) {
      const res = await getSaved(t.url, name, query, journalist);
      const body = JSON.parse(res.text);
      expect({ name, status: res.status, code: body.errors[0].extensions.code, argument: body.errors[0].extensions.argument }).toEqual({ name, status: 400, code: 'BAD_USER_INPUT', argument });
      expect(body.errors[0].message).toContain(argument);
    }
    const graphql = await t.graphql('query { runSavedQuery(name: "transferCorridors", variables: { minCount: "two" }) { rows } }', {}, { key: journalist });
    expect(graphql.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'minCount' });
    expect(graphql.errors![0]!.message).toContain('Parameter "minCount" (Int)');
  });

  it('names the parameter, not the argument it feeds, when a resolver refuses its value', async () => {
    const cases: [string, string, string, string][] = [
      ['sourceSupports', 'source=bad', 'source', 'Parameter "source": Argument "id" is not a valid id'],
      ['eventsInWindow', 'from=2025&to=2024', 'to', 'Parameter "to": Argument "filter.to" (2024) ends before "filter.from" (2025) begins.'],
      ['whoLinks', 'from=person:chen-zhi&to=organisation:jin-bei-group&maxHops=11', 'maxHops', 'Parameter "maxHops": Argument "maxHops"'],
    ];
    for (const [name, query, argument, message] of cases) {
      const res = await getSaved(t.url, name, query, journalist);
      const body = JSON.parse(res.text);
      expect({ name, status: res.status, extensions: body.errors[0].extensions }).toEqual({ name, status: 400, extensions: { code: 'BAD_USER_INPUT', argument } });
      expect(body.errors[0].message).toContain(message);
    }
  });

  it('answers NOT_FOUND for an unknown query and UNAUTHENTICATED for a bad key', async () => {
    expect((await getSaved(t.url, 'noSuchQuery', '')).status).toBe(404);
    const bad = await getSaved(t.url, 'compoundsByAlias', 'name=x', 'tg_notavalidkeyatallnotavalidkey');
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('the HTTP route is wired like /graphql', () => {
  /** The number of successful READ statements in the server's Cypher histogram. */
  async function cypherReads(): Promise<number> {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const match = /^tg_cypher_statement_duration_seconds_count\{mode="READ",outcome="ok"\} (\d+)$/m.exec(text);
    return Number(match?.[1] ?? 0);
  }

  it("counts its Cypher statements in the metrics and runs under the request's id", async () => {
    const before = await cypherReads();
    const response = await fetch(`${t.url}/saved/compoundsInCountry?country=kh`, { headers: { authorization: `Bearer ${journalist}`, 'x-request-id': 'saved-wiring-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('saved-wiring-1');
    expect(((await response.json()) as SavedResult).name).toBe('compoundsInCountry');
    // At least the API key lookup and the query's own statements.
    expect((await cypherReads()) - before).toBeGreaterThanOrEqual(2);
  });
});

describe('victim protection', () => {
  const victimQueries: [string, string][] = [
    ['victimsSoldRepeatedly', 'minTransfers=1'],
    ['sourceSupports', 'source=source:demo-synthetic'],
    ['figureTimeline', 'id=person:demo-victim-0001'],
    ['eventsInWindow', 'from=2021&to=2026'],
    ['sharedConnections', 'a=person:demo-victim-0001&b=compound:demo-riverbend-park'],
    ['disputedClaims', ''],
    ['whoLinks', 'from=person:demo-victim-0002&to=organisation:demo-red-crane-network'],
  ];

  it('journalists never see a victim name, alias or description through any saved query, in JSON or CSV', async () => {
    const seen: string[] = [];
    for (const [name, query] of [...victimQueries, ...builtinQueries().map((q) => [q.name, q.example] as [string, string])]) {
      for (const format of ['json', 'csv']) {
        const res = await getSaved(t.url, name, `${query}${query ? '&' : ''}format=${format}`, journalist);
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
        seen.push(res.text);
        for (const secret of victimSecrets) expect({ name, format, leaked: res.text.includes(secret) ? secret : null }).toEqual({ name, format, leaked: null });
      }
    }
    // The journalists did see the victims, as pseudonyms.
    expect(seen.join('\n')).toMatch(/Victim [A-Z0-9]{4}-[A-Z0-9]{4}/);
    // The same queries show investigators the names: the check above can fail.
    const investigatorView = await getSaved(t.url, 'victimsSoldRepeatedly', 'minTransfers=1&format=csv', investigator);
    expect(investigatorView.text).toContain('Quillfeather');
  });

  it('the public sees no victim through saved queries', async () => {
    for (const [name, query] of victimQueries) {
      const res = await getSaved(t.url, name, query);
      for (const secret of victimSecrets) expect(res.text.includes(secret)).toBe(false);
      expect(res.text).not.toMatch(/person:demo-victim-/);
    }
  });
});

describe('user-saved queries', () => {
  const v1 = 'query khCompounds { compounds(filter: { country: ["kh"] }, orderBy: { field: NAME }) { nodes { id } } }';
  const v2 = 'query khCompounds($country: String! = "kh") { compounds(filter: { country: [$country] }, orderBy: { field: NAME }) { nodes { id name } } }';
  const save = `mutation($input: SaveQueryInput!) { saveQuery(input: $input) { name version builtIn owner title parameters { name type default description required } sha256 } }`;

  it("refuses a query whose text names a victim, in any field every role reads, and stores nothing", async () => {
    const count = async () => (await t.cypher<{ n: number }>('MATCH (q:SavedQuery) RETURN count(q) AS n'))[0]!.n;
    const before = await count();
    const named = 'query whereIsShe($q: String! = "Anong Quillfeather") { search(query: $q) { totalCount } }';
    const plain = 'query whereIsShe($q: String!) { search(query: $q) { totalCount } }';
    for (const [input, argument] of [
      [{ name: 'where-is-she', title: 'Where is Anong Quillfeather now', document: plain }, 'title'],
      [{ name: 'where-is-she', title: 'Search', description: 'Custody of Anong Quillfeather', document: plain }, 'description'],
      [{ name: 'where-is-she', title: 'Search', document: named }, 'document'],
      [{ name: 'where-is-she', title: 'Search', document: plain, parameters: [{ name: 'q', description: 'e.g. Quillfeather Anong' }] }, 'parameters[0].description'],
      // Names written as identifiers: the query's name, and a field alias, which is a column of every answer.
      [{ name: 'anong-quillfeather', title: 'Search', document: plain }, 'name'],
      [{ name: 'where_is_she', title: 'Search', document: 'query ($q: String!) { anong_quillfeather: search(query: $q) { totalCount } }' }, 'document'],
      [{ name: 'where_is_she', title: 'Search', document: 'query ($q: String!) { anongQuillfeather: search(query: $q) { totalCount } }' }, 'document'],
    ] as const) {
      const res = await t.graphql<any>(save, { input }, { key: investigator });
      expect([argument, res.errors?.[0]?.extensions]).toEqual([argument, { code: 'BAD_USER_INPUT', argument }]);
      expect(res.errors?.[0]?.message).toContain('names the victim person:demo-victim-0001');
    }
    expect(await count()).toBe(before);
  });

  it('are versioned, survive a restart, keep old versions runnable by number, and can be retired', async () => {
    // The first server process saves two versions, then stops for good.
    const before = await startSameDatabaseServer();
    const gql = async (query: string, variables: Record<string, unknown>, options: { key: string }) => before.graphql({ query, variables }, options.key) as Promise<any>;
    const first = await gql(save, { input: { name: 'kh-compounds', title: 'Compounds in Cambodia', document: v1 } }, { key: investigator });
    expect(first.errors).toBeUndefined();
    expect(first.data.saveQuery).toMatchObject({ name: 'kh-compounds', version: 1, builtIn: false, parameters: [], sha256: documentHash(v1) });
    const second = await t.graphql<any>(
      save,
      { input: { name: 'kh-compounds', title: 'Compounds in a country', document: v2, parameters: [{ name: 'country', description: 'ISO code' }] } },
      { key: investigator },
    );
    expect(second.data.saveQuery).toMatchObject({ version: 2, parameters: [{ name: 'country', type: 'String!', default: '"kh"', description: 'ISO code', required: false }] });

    // Journalists read and run, but may not write; nobody else may version your query (admins may).
    const denied = await gql(save, { input: { name: 'mine', title: 'Mine', document: v1 } }, { key: journalist });
    expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const otherInvestigator = await t.keyFor('investigator');
    const notYours = await gql(save, { input: { name: 'kh-compounds', title: 'Hijack', document: v1 } }, { key: otherInvestigator });
    expect(notYours.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const builtinName = await gql(save, { input: { name: 'transferCorridors', title: 'Clash', document: v1 } }, { key: investigator });
    expect(builtinName.errors![0]!.extensions!.code).toBe('CONFLICT');
    const invalid = await gql(save, { input: { name: 'broken', title: 'Broken', document: '{ compounds { nodes { colour } } }' } }, { key: investigator });
    expect(invalid.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'document' });

    const khIds = demo.compounds.concat(publicRecord.compounds).filter((c: any) => c.country === 'kh').sort((a: any, b: any) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((c: any) => c.id);

    // Restart: a new server process on the same database.
    await before.close();
    const restarted = await startSameDatabaseServer();
    try {
      const latest = await restarted.graphql({ query: 'query { runSavedQuery(name: "kh-compounds") { name version columns rows } }' }, journalist);
      expect(latest.errors).toBeUndefined();
      expect(latest.data.runSavedQuery.version).toBe(2);
      expect(latest.data.runSavedQuery.columns).toEqual(['compounds.nodes.id', 'compounds.nodes.name', 'sources']);
      expect(latest.data.runSavedQuery.rows.map((r: Row) => r['compounds.nodes.id'])).toEqual(khIds);
      const old = await restarted.graphql({ query: 'query { runSavedQuery(name: "kh-compounds", version: 1) { version columns } }' }, journalist);
      expect(old.data.runSavedQuery).toEqual({ version: 1, columns: ['compounds.nodes.id', 'sources'] });
      const oldOverHttp = await runJson('kh-compounds', 'version=1', journalist, restarted.url);
      expect(oldOverHttp.rows.map((r) => r['compounds.nodes.id'])).toEqual(khIds);
      const listed = await restarted.graphql({ query: '{ savedQueries { name version builtIn path } }' }, journalist);
      expect(listed.data.savedQueries.filter((q: any) => !q.builtIn)).toEqual([{ name: 'kh-compounds', version: 2, builtIn: false, path: '/saved/kh-compounds?version=2' }]);

      const retired = await restarted.graphql({ query: 'mutation { retireSavedQuery(name: "kh-compounds") { name version retiredAt } }' }, investigator);
      expect(retired.data.retireSavedQuery).toMatchObject({ name: 'kh-compounds', version: 2, retiredAt: expect.any(String) });
      const after = await restarted.graphql({ query: '{ savedQueries { name } }' }, journalist);
      expect(after.data.savedQueries.map((q: any) => q.name)).not.toContain('kh-compounds');
      const gone = await restarted.graphql({ query: 'query { runSavedQuery(name: "kh-compounds") { version } }' }, journalist);
      expect(gone.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const stillByVersion = await restarted.graphql({ query: 'query { runSavedQuery(name: "kh-compounds", version: 1) { version } }' }, journalist);
      expect(stillByVersion.data.runSavedQuery).toEqual({ version: 1 });
      const byAdmin = await restarted.graphql({ query: 'mutation { retireSavedQuery(name: "kh-compounds") { name } }' }, admin);
      expect(byAdmin.errors).toBeUndefined();
    } finally {
      await restarted.close();
    }
  });

  it('keep the list of sources at the root a table of its own, one row per source, not a citation', async () => {
    const document = 'query sourceList { sources(orderBy: { field: ID }, first: 3) { nodes { id title } } }';
    const saved = await t.graphql<any>(save, { input: { name: 'source-list', title: 'Sources', document } }, { key: investigator });
    expect(saved.errors).toBeUndefined();
    const result = await runJson('source-list', '', journalist);
    const first = [...all('sources')].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, 3);
    expect(result.columns).toEqual(['sources.nodes.id', 'sources.nodes.title', 'sources']);
    expect(result.rows).toEqual(first.map((source) => ({ 'sources.nodes.id': source.id, 'sources.nodes.title': source.title, sources: '' })));
    // Leaves the registry as it found it (the persisted-only tests count it).
    const retired = await t.graphql<any>('mutation { retireSavedQuery(name: "source-list") { name } }', {}, { key: investigator });
    expect(retired.errors).toBeUndefined();
  });

  it('keep the operation limits of /graphql: refused when saved over them, and when run after they were lowered', async () => {
    // 20 levels of relations: past the default depth limit (12), as the same text sent to /graphql is.
    let selection = 'id';
    for (let i = 0; i < 20; i += 1) selection = `relations { other { id ${selection === 'id' ? '' : `... on Person { ${selection} }`} } }`;
    const deep = await t.graphql<any>(save, { input: { name: 'too-deep', title: 'Too deep', document: `query tooDeep { persons { nodes { ${selection} } } }` } }, { key: investigator });
    expect(deep.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'document' });
    expect(deep.errors![0]!.message).toMatch(/Query depth limit of 12 exceeded, found \d+/);
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: compounds { totalCount }`).join(' ');
    const flood = await t.graphql<any>(save, { input: { name: 'alias-flood', title: 'Aliases', document: `query aliasFlood { ${aliases} }` } }, { key: investigator });
    expect(flood.errors![0]!.message).toMatch(/Aliases limit of 15 exceeded, found 20/);
    const listed = await t.graphql<any>('{ savedQueries { name } }', {}, { key: journalist });
    const names = listed.data.savedQueries.map((q: any) => q.name);
    expect(names).not.toContain('too-deep');
    expect(names).not.toContain('alias-flood');

    // Depth 5 is fine here; a server whose limit was lowered to 4 since refuses to run it, by name and over HTTP.
    const document = 'query staffOfOperators { compounds(first: 5) { nodes { operators { other { id } } } } }';
    const saved = await t.graphql<any>(save, { input: { name: 'operators-5', title: 'Operators', document } }, { key: investigator });
    expect(saved.errors).toBeUndefined();
    expect((await runJson('operators-5', '', journalist)).rows.length).toBeGreaterThan(0);
    const strict = await startSameDatabaseServer({ TG_MAX_DEPTH: '4' });
    try {
      const byName = await strict.graphql({ query: 'query { runSavedQuery(name: "operators-5") { rows } }' }, journalist);
      expect(byName.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(byName.errors![0]!.message).toMatch(/Query depth limit of 4 exceeded, found 5/);
      const overHttp = await getSaved(strict.url, 'operators-5', '', journalist);
      expect(overHttp.status).toBe(400);
      expect(overHttp.text).toMatch(/Query depth limit of 4 exceeded, found 5/);
      // The same text sent to /graphql is refused alike.
      const direct = await strict.graphql({ query: document }, journalist);
      expect(direct.errors![0]!.message).toMatch(/Query depth limit of 4 exceeded, found 5/);
    } finally {
      await strict.close();
    }
    // Leaves the registry as it found it (the persisted-only tests count it).
    const retired = await t.graphql<any>('mutation { retireSavedQuery(name: "operators-5") { name } }', {}, { key: investigator });
    expect(retired.errors).toBeUndefined();
  });
});

describe('persisted-only mode (TG_PERSISTED_ONLY=journalist)', () => {
  let strict: Awaited<ReturnType<typeof startSameDatabaseServer>>;
  beforeAll(async () => {
    strict = await startSameDatabaseServer({ TG_PERSISTED_ONLY: 'journalist' });
  });
  afterAll(() => strict.close());

  const aliasQuery = () => builtinQueries().find((q) => q.name === 'compoundsByAlias')!;

  it('lets a journalist run saved queries by name, by document and by hash', async () => {
    const byName = await strict.graphql({ query: 'query { runSavedQuery(name: "compoundsByAlias", variables: { name: "jinyun" }) { rows } }' }, journalist);
    expect(byName.errors).toBeUndefined();
    expect(byName.data.runSavedQuery.rows.map((r: Row) => r['compounds.nodes.id'])).toEqual(['compound:golden-fortune-science-and-technology-park']);
    const list = await strict.graphql({ query: '{ savedQueries { name } }' }, journalist);
    expect(list.data.savedQueries.length).toBe(builtinQueries().length);

    const byDocument = await strict.graphql({ query: aliasQuery().document, variables: { name: 'jinyun' } }, journalist);
    expect(byDocument.errors).toBeUndefined();
    expect(byDocument.data.compounds.nodes.map((n: any) => n.id)).toEqual(['compound:golden-fortune-science-and-technology-park']);

    const byHash = await strict.graphql(
      { variables: { name: 'jinyun' }, extensions: { persistedQuery: { version: 1, sha256Hash: aliasQuery().sha256 } } },
      journalist,
    );
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data.compounds.nodes.map((n: any) => n.id)).toEqual(['compound:golden-fortune-science-and-technology-park']);

    const overHttp = await runJson('compoundsByAlias', 'name=jinyun', journalist, strict.url);
    expect(overHttp.rows.map((r) => r['compounds.nodes.id'])).toEqual(['compound:golden-fortune-science-and-technology-park']);
  });

  it('rejects any other document from a journalist with PERSISTED_QUERY_REQUIRED, and nothing runs', async () => {
    for (const query of [
      '{ compounds { totalCount } }',
      `${aliasQuery().document} `,
      '{ runSavedQuery(name: "compoundsByAlias", variables: { name: "x" }) { name } persons { totalCount } }',
      'query { ...F } fragment F on Query { persons { totalCount } }',
      '{ __schema { types { name } } }',
    ]) {
      const res = await strict.graphql({ query, variables: query.includes('$name') ? { name: 'x' } : undefined }, journalist);
      expect({ query, status: res.status, code: res.errors?.[0]?.extensions?.code, data: res.data ?? null }).toEqual({ query, status: 403, code: 'PERSISTED_QUERY_REQUIRED', data: null });
      expect(res.errors![0]!.message).toContain('Only saved queries may run');
    }
    const unknownHash = await strict.graphql({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, journalist);
    expect(unknownHash.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('leaves other roles free to send ad-hoc documents', async () => {
    const res = await strict.graphql({ query: '{ compounds(filter: { country: ["la"] }) { totalCount } }' }, investigator);
    expect(res.errors).toBeUndefined();
    expect(res.data.compounds.totalCount).toBe(all('compounds').filter((c) => c.country === 'la').length);
  });
});

describe('automatic persisted queries, kept per API key', () => {
  let server: Awaited<ReturnType<typeof startSameDatabaseServer>>;
  beforeAll(async () => {
    server = await startSameDatabaseServer();
  });
  afterAll(() => server.close());

  const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
  const notFound = (res: { errors?: any[] }) => res.errors?.map((e) => e.extensions?.code);

  it("finds a document by its hash for the key that registered it, and for no one else: not another role, not another key of the same role", async () => {
    // An investigator's search for a victim by name: whether someone ran this exact text is itself about the victim.
    const victimName: string = victims[0].name;
    const query = `{ search(query: ${JSON.stringify(victimName)}, types: [PERSON]) { totalCount } }`;
    const hash = documentHash(query);
    const registered = await server.graphql({ query, extensions: persisted(hash) }, investigator);
    expect(registered.errors).toBeUndefined();
    expect(registered.data.search.totalCount).toBeGreaterThan(0);

    const again = await server.graphql({ extensions: persisted(hash) }, investigator);
    expect([again.status, again.data]).toEqual([200, registered.data]);

    const otherInvestigator = await t.keyFor('investigator');
    for (const [who, key] of [['journalist', journalist], ['public', undefined], ['another investigator key', otherInvestigator]] as const) {
      const res = await server.graphql({ extensions: persisted(hash) }, key);
      expect({ who, data: res.data ?? null, codes: notFound(res) }).toEqual({ who, data: null, codes: ['PERSISTED_QUERY_NOT_FOUND'] });
    }
    // Each may register the text for itself and then use its hash.
    const journalists = await server.graphql({ query, extensions: persisted(hash) }, journalist);
    expect(journalists.errors).toBeUndefined();
    expect((await server.graphql({ extensions: persisted(hash) }, journalist)).data).toEqual(journalists.data);
  });

  it('registers the public as one caller, keeps a document that failed to run unregistered, and finds every saved query for everyone', async () => {
    const query = '{ compounds(filter: { country: ["la"] }) { totalCount } }';
    expect((await server.graphql({ query, extensions: persisted(documentHash(query)) })).errors).toBeUndefined();
    const byHash = await server.graphql({ extensions: persisted(documentHash(query)) });
    expect(byHash.data.compounds.totalCount).toBe(all('compounds').filter((c) => c.country === 'la').length);

    const invalid = '{ compounds { noSuchField } }';
    expect((await server.graphql({ query: invalid, extensions: persisted(documentHash(invalid)) }, investigator)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(notFound(await server.graphql({ extensions: persisted(documentHash(invalid)) }, investigator))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const alias = builtinQueries().find((q) => q.name === 'compoundsByAlias')!;
    for (const key of [undefined, journalist, investigator]) {
      const res = await server.graphql({ variables: { name: 'jinyun' }, extensions: persisted(alias.sha256) }, key);
      expect(res.data.compounds.nodes.map((n: any) => n.id)).toEqual(['compound:golden-fortune-science-and-technology-park']);
    }
  });
});

describe('npm run query', () => {
  it('reads NAME, repeated --var, --version, --format and --bom', () => {
    expect(parseQueryCommand(['eventsInWindow', '--var', 'from=2024', '--var', 'to=2025', '--var', 'kinds=RAID', '--var', 'kinds=ARREST', '--format', 'csv', '--bom'])).toEqual({
      name: 'eventsInWindow',
      variables: { from: '2024', to: '2025', kinds: ['RAID', 'ARREST'] },
      version: null,
      format: 'csv',
      bom: true,
      key: undefined,
    });
    expect(() => parseQueryCommand(['a', '--var', 'novalue'])).toThrow('--var takes name=value');
    expect(() => parseQueryCommand(['a', '--format', 'xml'])).toThrow('--format must be json or csv');
    expect(() => parseQueryCommand([])).toThrow('usage');
  });

  it('runs in-process against the database and prints the same table as the HTTP route, masked for the default journalist view', async () => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', NEO4J_URI: process.env.NEO4J_TEST_URI! });
    const logger = createLogger(config);
    const csv = await runQueryCommand(parseQueryCommand(['victimsSoldRepeatedly', '--var', 'minTransfers=3', '--format', 'csv']), { config, driver: t.driver, logger });
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const http = await runJson('victimsSoldRepeatedly', 'minTransfers=3', journalist);
    const [header, ...records] = parseCsv(csv) as string[][];
    expect(header).toEqual(http.columns);
    expect(records).toEqual(http.rows.map((row) => http.columns.map((c) => (row[c] === null ? '' : String(row[c])))));
    for (const secret of victimSecrets) expect(csv.includes(secret)).toBe(false);

    const json = JSON.parse(await runQueryCommand(parseQueryCommand(['transferCorridors', '--var', 'minCount=5', '--key', investigator]), { config, driver: t.driver, logger }));
    expect(json.rows.map((r: Row) => [r['transferCorridors.to.id'], r['transferCorridors.prices.median']])).toEqual([
      ['compound:demo-jade-harbour', 8500],
      ['compound:demo-jade-harbour', 9750],
    ]);
    await expect(runQueryCommand(parseQueryCommand(['transferCorridors', '--var', 'minCount=many']), { config, driver: t.driver, logger })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'minCount' },
    });
  });
});

// Last in this file: it records a victim, which the tests above do not expect.
describe('a saved query that names someone recorded as a victim after it was saved', () => {
  it('is withheld from journalists and the public as if never saved, on every path; investigators still see and run it', async () => {
    const name = 'sq-later-victim';
    const document = 'query ($country: String!) { compounds(filter: { country: [$country] }) { nodes { id } } }';
    const description = 'Compounds where Tawan Srisuk was reportedly held.';
    const saved = await t.graphql<any>(
      'mutation($input: SaveQueryInput!) { saveQuery(input: $input) { name version } }',
      { input: { name, title: 'Compounds in a country', description, document, parameters: [{ name: 'country', description: 'ISO code' }] } },
      { key: investigator },
    );
    expect(saved.errors).toBeUndefined();
    const seen = async (key: string | undefined) => {
      const res = await t.graphql<any>(
        `query { savedQueries { name } one: savedQuery(name: "${name}") { description } v1: savedQuery(name: "${name}", version: 1) { version } }`,
        {},
        key ? { key } : {},
      );
      expect(res.errors).toBeUndefined();
      return { listed: res.data!.savedQueries.some((q: any) => q.name === name), one: res.data!.one, v1: res.data!.v1 };
    };
    const shown = { listed: true, one: { description }, v1: { version: 1 } };
    for (const key of [journalist, undefined, investigator]) expect(await seen(key)).toEqual(shown);

    // Recorded as a victim now: the rule that refuses stored text naming a new victim does not see saved queries.
    await loadDataset({ persons: [{ id: 'person:sq-later-victim-0001', name: 'Tawan Srisuk', roles: ['victim'], sources: ['source:demo-synthetic'] }] }, t.executor);

    const withheld = { listed: false, one: null, v1: null };
    expect(await seen(journalist)).toEqual(withheld);
    expect(await seen(undefined)).toEqual(withheld);
    expect(await seen(investigator)).toEqual(shown);
    expect(await seen(admin)).toEqual(shown);
    // It does not run for them either: the same answer as for a name never saved (its columns could name the victim).
    const unknown = 'sq-never-saved';
    for (const key of [journalist, undefined]) {
      const [withheldRun, unknownRun] = await Promise.all([getSaved(t.url, name, 'country=la', key), getSaved(t.url, unknown, 'country=la', key)]);
      expect([withheldRun.status, withheldRun.text.replace(name, unknown)]).toEqual([unknownRun.status, unknownRun.text]);
      expect(withheldRun.status).toBe(404);
      const res = await t.graphql<any>(`query { v: runSavedQuery(name: "${name}", variables: { country: "la" }) { rows } }`, {}, key ? { key } : {});
      expect([res.data, res.errors?.[0]?.extensions?.code, res.errors?.[0]?.message]).toEqual([null, 'NOT_FOUND', `No saved query "${name}".`]);
    }
    // Nor by its hash, for anyone: the lookup does not know who asks. Sent in full, it is the caller's own text.
    const byHash = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${journalist}` },
      body: JSON.stringify({ variables: { country: 'la' }, extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(document) } } }),
    });
    expect(((await byHash.json()) as any).errors?.map((e: any) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // Investigators run it as saved.
    const run = await runJson(name, 'country=la', investigator);
    expect(run.rows.map((row) => row['compounds.nodes.id']).sort()).toEqual(all('compounds').filter((c) => c.country === 'la').map((c) => c.id).sort());
  });
});

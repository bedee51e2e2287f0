import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../src/db/migrations';
import { exportFtm } from '../../src/ingest/ftmExport';
import { importFile } from '../../src/ingest/importFile';
import { importRecords } from '../../src/ingest/importRecords';
import { seed } from '../../src/ingest/seedDatasets';
import { startTestServer, wipeDatabase, type TestServer } from '../helpers/testServer';

const DONATIONS = path.resolve(__dirname, '../fixtures/ftm/donations.ijson');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-import-'));
const write = (name: string, lines: (string | object)[]): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
};
const SRC = { type: 'source', id: 'source:imp', title: 'Import test source', reliability: 'C', kind: 'report' };

// The first imports plan every statement cold; on a busy 2-core machine that alone can take a minute.
jest.setTimeout(180_000);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await wipeDatabase(t.executor);
  await migrate(t.executor);
});

async function graphCounts(): Promise<{ nodes: number; rels: number }> {
  // Every node but the migrations' own record (src/db/migrations.ts), which is there before any import.
  const [row] = await t.cypher('MATCH (n) WHERE NOT n:Migration OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels');
  return { nodes: Number(row!.nodes), rels: Number(row!.rels) };
}

const JSONL = [
  SRC,
  { type: 'person', id: 'person:imp-a', name: 'Alpha Boss', roles: ['boss'], nationality: ['cn'], sources: ['source:imp'] },
  { type: 'person', id: 'person:imp-v', name: 'Victim V', roles: ['victim'], sources: ['source:imp'] },
  { type: 'organisation', id: 'organisation:imp-o', name: 'Imp Group', kind: 'criminal_conglomerate', sources: ['source:imp'] },
  { type: 'compound', id: 'compound:imp-c1', name: 'C One', country: 'kh', sources: ['source:imp'] },
  { type: 'compound', id: 'compound:imp-c2', name: 'C Two', country: 'mm', sources: ['source:imp'] },
  { type: 'relationship', relation: 'LEADS', from: 'person:imp-a', to: 'organisation:imp-o', start: '2020', sources: ['source:imp'] },
  { type: 'relationship', relation: 'OPERATES', from: 'organisation:imp-o', to: 'compound:imp-c1', sources: ['source:imp'] },
  {
    type: 'event', id: 'event:imp-t1', kind: 'transfer', date: '2024-05', title: 'Sold', fromCompound: 'compound:imp-c1',
    toCompound: 'compound:imp-c2', price: 9000, currency: 'USD', participants: [{ id: 'person:imp-v', role: 'victim' }], sources: ['source:imp'],
  },
  { type: 'claim', id: 'claim:imp-a-nat', subject: 'person:imp-a', property: 'nationality', value: 'kh', sources: ['source:imp'] },
];

describe('npm run import --format json', () => {
  it('imports JSON lines with exact counts and relationships, and adds nothing on re-import', async () => {
    const file = write('a.jsonl', JSONL);
    const summary = await importFile(file, t.executor, { format: 'json', batchSize: 4 });
    expect(summary.written).toEqual({ source: 1, person: 2, organisation: 1, compound: 2, event: 1, relationship: 2, claim: 1 });
    expect(summary.rejectedBatches).toBe(0);
    expect(summary.batches).toBe(3);
    const nodes = await t.cypher(
      "MATCH (n:Node) RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'] AS labels, n.dataset AS dataset ORDER BY id",
    );
    expect(nodes).toEqual([
      { id: 'compound:imp-c1', labels: ['Compound'], dataset: 'import' },
      { id: 'compound:imp-c2', labels: ['Compound'], dataset: 'import' },
      { id: 'event:imp-t1', labels: ['Event'], dataset: 'import' },
      { id: 'organisation:imp-o', labels: ['Organisation'], dataset: 'import' },
      { id: 'person:imp-a', labels: ['Person'], dataset: 'import' },
      { id: 'person:imp-v', labels: expect.arrayContaining(['Person', 'Victim']), dataset: 'import' },
      { id: 'source:imp', labels: ['Source'], dataset: 'import' },
    ]);
    const rels = await t.cypher(
      "MATCH (a:Node)-[r]->(b:Node) WHERE type(r) <> 'SOURCED_BY' RETURN a.id + ' ' + type(r) + ' ' + b.id AS rel ORDER BY rel",
    );
    expect(rels.map((r) => r.rel)).toEqual([
      'event:imp-t1 FROM compound:imp-c1',
      'event:imp-t1 INVOLVES person:imp-v',
      'event:imp-t1 TO compound:imp-c2',
      'organisation:imp-o OPERATES compound:imp-c1',
      'person:imp-a LEADS organisation:imp-o',
    ]);
    const before = await graphCounts();
    const again = await importFile(file, t.executor, { format: 'json', batchSize: 4 });
    expect(again.written).toEqual(summary.written);
    expect(await graphCounts()).toEqual(before);
  });

  it('imports a whole seed document with the counts of its arrays', async () => {
    const file = path.resolve(__dirname, '../../seed/demo/demo.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const summary = await importFile(file, t.executor, { format: 'json', batchSize: 50 });
    expect(summary.rejectedBatches).toBe(0);
    expect(summary.written).toEqual({
      source: doc.sources.length, person: doc.persons.length, organisation: doc.organisations.length,
      compound: doc.compounds.length, event: doc.events.length, relationship: doc.relationships.length, claim: doc.claims.length,
    });
    const [row] = await t.cypher("MATCH (n:Node {dataset: 'demo'}) RETURN count(n) AS n");
    expect(Number(row!.n)).toBe(doc.sources.length + doc.persons.length + doc.organisations.length + doc.compounds.length + doc.events.length);
  });

  it('rejects the whole batch of a malformed line, names the line and the field, and writes the other batches', async () => {
    const file = write('bad.jsonl', [
      SRC,
      { type: 'person', id: 'person:ok-1', name: 'Ok One', sources: ['source:imp'] },
      { type: 'person', id: 'person:ok-2', name: 'Ok Two', sources: ['source:imp'] },
      { type: 'person', id: 'person:lost-1', name: 'Lost One', sources: ['source:imp'] },
      { type: 'person', id: 'person:lost-2', name: 'Lost Two', birthDate: '1999-13', sources: ['source:imp'] },
      { type: 'person', id: 'person:lost-3', name: 'Lost Three', sources: ['source:imp'] },
      '{"type": "person", "id": "person:broken"',
      { type: 'person', id: 'person:lost-4', name: 'Lost Four', sources: ['source:imp'] },
      { type: 'person', id: 'person:lost-5', name: 'Lost Five', sources: ['source:imp'] },
    ]);
    const summary = await importFile(file, t.executor, { format: 'json', batchSize: 3 });
    expect(summary.written.person).toBe(2);
    expect(summary.rejectedBatches).toBe(2);
    expect(summary.rejectedRecords).toBe(6);
    expect(summary.errors[0]).toBe('batch 2 (line 4 .. line 6) rejected, nothing of it written:');
    expect(summary.errors[1]).toBe('  line 5: persons.birthDate: must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD');
    expect(summary.errors[2]).toBe('batch 3 (line 7 .. line 9) rejected, nothing of it written:');
    expect(summary.errors[3]).toMatch(/^ {2}line 7: not valid JSON/);
    const persons = await t.cypher('MATCH (p:Person) RETURN p.id AS id ORDER BY id');
    expect(persons.map((p) => p.id)).toEqual(['person:ok-1', 'person:ok-2']);
  });

  it('names the line and field of each broken dataset rule: name length, URL, location, dates, relationship ends', async () => {
    const file = write('rules.jsonl', [
      { ...SRC, url: 'javascript:alert(1)' },
      { type: 'person', id: 'person:rules-a', name: 'x'.repeat(1001), sources: ['source:imp'] },
      { type: 'compound', id: 'compound:rules-c', name: 'Half Located', latitude: 10.5, sources: ['source:imp'] },
      { type: 'event', id: 'event:rules-e', kind: 'raid', title: 'Raid', date: '2025', endDate: '2020', sources: ['source:imp'] },
      { type: 'relationship', relation: 'LEADS', from: 'compound:rules-c', to: 'person:rules-a', start: '2024-05', end: '2024-04', sources: ['source:imp'] },
      { type: 'relationship', relation: 'ASSOCIATE_OF', from: 'person:rules-a', to: 'person:rules-a', sources: ['source:imp'] },
    ]);
    const summary = await importFile(file, t.executor, { format: 'json' });
    expect(summary.errors).toEqual([
      'batch 1 (line 1 .. line 6) rejected, nothing of it written:',
      '  line 1: sources.url: must be an http or https URL, such as https://example.org/report',
      '  line 2: persons.name: must be at most 1000 characters (names are indexed; put longer text in the description)',
      '  line 3: compounds.longitude: is missing while latitude is given: give both or neither',
      "  line 4: events.endDate: 2020 ends before the event's date 2025 begins",
      '  line 5: relationships.from: LEADS must go from a person, not a compound',
      '  line 5: relationships.to: LEADS must go to an organisation, not a person',
      "  line 5: relationships.end: 2024-04 ends before the relationship's start 2024-05 begins",
      '  line 6: relationships.to: is the same as from: a relationship joins two different entities',
    ]);
    expect((await graphCounts()).nodes).toBe(0);
  });

  it('names blank text, a transfer to the same compound, a price without currency, an unknown currency and retrieval before publication', async () => {
    const file = write('more-rules.jsonl', [
      { ...SRC, published: '2025-03', retrieved: '2025-02-10' },
      { type: 'person', id: 'person:rules-blank', name: '   ', topics: [' '], sources: ['source:imp'] },
      { type: 'compound', id: 'compound:rules-c', name: 'Rules Park', sources: ['source:imp'] },
      { type: 'event', id: 'event:rules-self', kind: 'transfer', title: 'Sold', fromCompound: 'compound:rules-c', toCompound: 'compound:rules-c', price: 9000, sources: ['source:imp'] },
      { type: 'event', id: 'event:rules-uds', kind: 'transfer', title: 'Sold', price: 9000, currency: 'UDS', sources: ['source:imp'] },
    ]);
    const summary = await importFile(file, t.executor, { format: 'json' });
    expect(summary.errors).toEqual([
      'batch 1 (line 1 .. line 5) rejected, nothing of it written:',
      '  line 1: sources.retrieved: 2025-02-10 is before the source was published (2025-03)',
      '  line 2: persons.name: must not be blank',
      '  line 2: persons.topics[0]: must not be blank',
      '  line 4: events.toCompound: is the same as fromCompound: a transfer or transit goes from one compound to another',
      '  line 4: events.currency: is missing while price is given: give both or neither',
      '  line 5: events.currency: must be an ISO 4217 currency code such as USD, THB or MMK, or one of USDT, USDC, BTC, ETH, TRX',
    ]);
    expect((await graphCounts()).nodes).toBe(0);
  });

  it('stores text in one Unicode form: a name typed with a combining accent is found as the same name', async () => {
    const decomposed = 'Ce\u0301line Thu\u1EA1n';
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    const file = write('nfc.jsonl', [SRC, { type: 'person', id: 'person:nfc', name: decomposed, aliases: [decomposed], sources: ['source:imp'] }]);
    expect((await importFile(file, t.executor, { format: 'json' })).errors).toEqual([]);
    const [row] = await t.cypher<{ name: string; aliases: string[] }>('MATCH (p:Person {id: "person:nfc"}) RETURN p.name AS name, p.aliases AS aliases');
    expect(row).toEqual({ name: decomposed.normalize('NFC'), aliases: [decomposed.normalize('NFC')] });
    const found = await t.graphql<any>('query($q: String!) { persons(filter: { nameContains: $q }) { nodes { id } } }', { q: 'C\u00E9line' });
    expect(found.data?.persons.nodes).toEqual([{ id: 'person:nfc' }]);
    // And the filter reads its text the same way.
    const typedDecomposed = await t.graphql<any>('query($q: String!) { persons(filter: { nameContains: $q }) { nodes { id } } }', { q: 'Ce\u0301line' });
    expect(typedDecomposed.data?.persons.nodes).toEqual([{ id: 'person:nfc' }]);
  });

  it('refuses a field the record type does not have, naming the line and field, instead of dropping it', async () => {
    const file = write('unknown.jsonl', [
      SRC,
      { type: 'person', id: 'person:unknown-a', name: 'Alpha', birthdate: '1980', sources: ['source:imp'] },
      {
        type: 'event', id: 'event:unknown-e', kind: 'raid', title: 'Raid', date: '2025', sources: ['source:imp'],
        participants: [{ id: 'person:unknown-a', role: 'subject', note: 'arrested' }],
      },
    ]);
    const summary = await importFile(file, t.executor, { format: 'json' });
    expect(summary.errors).toEqual([
      'batch 1 (line 1 .. line 3) rejected, nothing of it written:',
      '  line 2: persons.birthdate: is not a field of this record type (seed/FORMAT.md)',
      '  line 3: events.participants[0].note: is not a field of this record type (seed/FORMAT.md)',
    ]);
    expect((await graphCounts()).nodes).toBe(0);
    const csv = path.join(dir, 'persons.csv');
    fs.writeFileSync(csv, 'id,name,birthdate\nperson:csv-a,Alpha,1980\n');
    const fromCsv = await importFile(csv, t.executor, { format: 'csv', source: 'source:csv', sourceTitle: 'CSV test' });
    expect(fromCsv.errors.slice(1)).toEqual(['  line 2: persons.birthdate: is not a field of this record type (seed/FORMAT.md)']);
    expect((await graphCounts()).nodes).toBe(0);
  });

  it('names the line of a reference to an id that does not exist', async () => {
    const file = write('ref.jsonl', [SRC, { type: 'relationship', relation: 'LEADS', from: 'person:nobody', to: 'organisation:none', sources: ['source:imp'] }]);
    const summary = await importFile(file, t.executor, { format: 'json' });
    expect(summary.errors.slice(1)).toEqual([
      '  line 2: relationships.from: person:nobody does not exist',
      '  line 2: relationships.to: organisation:none does not exist',
    ]);
    expect((await graphCounts()).nodes).toBe(0);
  });
});

describe('importRecords, batch after batch', () => {
  const person = (n: number) => ({ location: `record ${n}`, type: 'person' as const, value: { id: `person:pipe-${n}`, name: `Pipe ${n}`, sources: ['source:imp'] } });
  const source = { location: 'record 0', type: 'source' as const, value: { id: 'source:imp', title: 'Import test source', reliability: 'C', kind: 'report' } };

  /** Batches of two: the source and person 1, then persons 2 and 3, which cite the source of the batch before. */
  async function* sourceAndPersons() {
    yield source;
    for (const n of [1, 2, 3]) yield person(n);
  }

  it('checks each batch against what the batch just before it committed, and reports progress in order', async () => {
    // Batch 3 names persons of batch 2 in relationships.
    async function* records() {
      yield* sourceAndPersons();
      yield { location: 'record 4', type: 'relationship' as const, value: { type: 'ASSOCIATE_OF', from: 'person:pipe-2', to: 'person:pipe-3', sources: ['source:imp'] } };
      yield { location: 'record 5', type: 'relationship' as const, value: { type: 'ASSOCIATE_OF', from: 'person:pipe-3', to: 'person:nobody', sources: ['source:imp'] } };
    }
    const progress: number[] = [];
    const summary = await importRecords(records(), t.executor, { batchSize: 2, onProgress: (p) => progress.push(p.records) });
    expect(progress).toEqual([2, 4, 6]);
    expect(summary.batches).toBe(3);
    expect(summary.written).toMatchObject({ source: 1, person: 3, relationship: 0 });
    expect(summary.errors).toEqual([
      'batch 3 (record 4 .. record 5) rejected, nothing of it written:',
      '  record 5: relationships.to: person:nobody does not exist',
    ]);
    const persons = await t.cypher('MATCH (p:Person) RETURN p.id AS id ORDER BY id');
    expect(persons.map((p) => p.id)).toEqual(['person:pipe-1', 'person:pipe-2', 'person:pipe-3']);
    const [associates] = await t.cypher('MATCH (:Person)-[r:ASSOCIATE_OF]->() RETURN count(r) AS n');
    expect(Number(associates!.n)).toBe(0);
  });

  it('reports a failing reader, and keeps the batches written before it failed', async () => {
    async function* records() {
      yield* sourceAndPersons();
      throw new Error('the file went away');
    }
    await expect(importRecords(records(), t.executor, { batchSize: 2 })).rejects.toThrow('the file went away');
    // Batches 1 and 2 were full and went to the database; the reader failed before batch 3 was cut.
    const persons = await t.cypher('MATCH (p:Person) RETURN p.id AS id ORDER BY id');
    expect(persons.map((p) => p.id)).toEqual(['person:pipe-1', 'person:pipe-2', 'person:pipe-3']);
  });
});

describe('the npm run import command', () => {
  it('shows a summary, names the line and field of a rejected batch, and exits 1', async () => {
    const file = write('cli.jsonl', [SRC, { type: 'person', id: 'person:cli-a', name: 'Cli A', sources: ['source:imp'] }, { type: 'person', id: 'person:cli-b', name: 'B', gender: 'x', sources: ['source:imp'] }]);
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', path.resolve(__dirname, '../../src/bin/import.ts'), file, '--batch-size', '2'],
        { env: { ...process.env, NEO4J_URI: process.env.NEO4J_TEST_URI!, NODE_ENV: 'test' }, cwd: path.resolve(__dirname, '../..') },
        (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^written: 2 records \(1 source, 1 person\) in 1 of 2 batches, /m);
    expect(result.stdout).toContain('rejected: 1 records in 1 batches\nbatch 2 (line 3 .. line 3) rejected, nothing of it written:\n  line 3: persons.gender: ');
    expect((await t.cypher('MATCH (p:Person) RETURN p.id AS id')).map((r) => r.id)).toEqual(['person:cli-a']);
  });
});

describe('npm run import --format csv', () => {
  it('imports a file per type (type from the file name) and a mixed file with a type column', async () => {
    const persons = path.join(dir, 'persons.csv');
    fs.writeFileSync(persons, 'id,name,aliases,roles,nationality,birthDate\nperson:csv-a,"Chen, A",A1|A2,boss,cn|kh,1980-02\nperson:csv-b,B Broker,,broker,,\n');
    const mixed = path.join(dir, 'mixed.csv');
    fs.writeFileSync(
      mixed,
      'type,id,name,kind,country,relation,from,to,position,sources\n' +
        'organisation,organisation:csv-o,CSV Org,company,th|kh,,,,,\n' +
        'relationship,,,,,EMPLOYED_BY,person:csv-b,organisation:csv-o,broker,\n',
    );
    const s1 = await importFile(persons, t.executor, { format: 'csv', source: 'source:csv', sourceTitle: 'CSV test' });
    const s2 = await importFile(mixed, t.executor, { format: 'csv', source: 'source:csv' });
    expect(s1.written).toEqual({ source: 1, person: 2, organisation: 0, compound: 0, event: 0, relationship: 0, claim: 0 });
    expect(s2.written).toEqual({ source: 0, person: 0, organisation: 1, compound: 0, event: 0, relationship: 1, claim: 0 });
    const [a] = await t.cypher("MATCH (p:Person {id: 'person:csv-a'}) RETURN p {.name, .aliases, .roles, .nationality, .birthDate, .sources} AS p");
    expect(a!.p).toEqual({ name: 'Chen, A', aliases: ['A1', 'A2'], roles: ['boss'], nationality: ['cn', 'kh'], birthDate: '1980-02', sources: ['source:csv'] });
    const rels = await t.cypher('MATCH (a)-[r:EMPLOYED_BY]->(b) RETURN a.id AS a, b.id AS b, r.position AS position, r.sources AS sources');
    expect(rels).toEqual([{ a: 'person:csv-b', b: 'organisation:csv-o', position: 'broker', sources: ['source:csv'] }]);
    const [o] = await t.cypher("MATCH (o:Organisation) RETURN o.country AS country");
    expect(o!.country).toEqual(['th', 'kh']);
  });

  it('names the CSV line and field of a bad value', async () => {
    const file = path.join(dir, 'compounds.csv');
    fs.writeFileSync(file, 'id,name,country,latitude,longitude\ncompound:csv-ok,Ok,kh,10,100\ncompound:csv-bad,Bad,Cambodia,,\n');
    const summary = await importFile(file, t.executor, { format: 'csv', source: 'source:csv', sourceTitle: 'CSV test' });
    expect(summary.errors.slice(1)).toEqual(['  line 3: compounds.country: must be an ISO 3166-1 alpha-2 code in lower case']);
    expect((await graphCounts()).nodes).toBe(0);
  });
});

describe('npm run import --format ftm', () => {
  const ftm = (id: string, schema: string, properties: Record<string, string[]>) => ({ id, schema, properties });

  it('imports the donations fixture with exact counts, folds addresses and skips Payments on purpose', async () => {
    const entities = fs.readFileSync(DONATIONS, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const bySchema = (schema: string) => entities.filter((e) => e.schema === schema);
    const summary = await importFile(DONATIONS, t.executor, { format: 'ftm', source: 'source:donations', sourceTitle: 'Party donations (FtM)' });
    const persons = bySchema('Person');
    const personClaims = persons.filter((p) => p.properties.addressEntity).length + persons.filter((p) => p.properties.country).length;
    expect(summary.written).toEqual({
      source: 1, person: 22, organisation: 56 + 17, compound: 0, event: 0, relationship: 0, claim: personClaims,
    });
    expect(summary.skipped).toEqual({
      'FtM Payment (not modelled)': 290,
      'FtM Address (folded into the address of the entities that point at it)': 89,
    });
    expect(summary.rejectedBatches).toBe(0);
    const [counts] = await t.cypher(
      "MATCH (n:Node {dataset: 'import'}) RETURN count(CASE WHEN n:Person THEN 1 END) AS persons, count(CASE WHEN n:Organisation AND n.kind = 'company' THEN 1 END) AS companies, count(CASE WHEN n:Organisation AND n.kind = 'ngo' THEN 1 END) AS ngos",
    );
    expect(counts).toEqual({ persons: 22, companies: 56, ngos: 17 });
    const withAddress = [...bySchema('Company'), ...bySchema('Organization')].find((e) => e.properties.addressEntity)!;
    const address = withAddress.properties.addressEntity
      .map((id: string) => entities.find((e) => e.id === id)!.properties.full[0])
      .join('; ');
    const [org] = await t.cypher('MATCH (o:Organisation {id: $id}) RETURN o.address AS address, o.referents AS referents, o.name AS name', {
      id: `organisation:ftm-${withAddress.id}`,
    });
    expect(org).toEqual({ address, referents: [withAddress.id], name: withAddress.properties.name[0] });
    const [linked] = await t.cypher("MATCH (n:Node {dataset: 'import'})-[:SOURCED_BY]->(s:Source {id: 'source:donations'}) RETURN count(n) AS n");
    expect(Number(linked!.n)).toBe(22 + 73);
    const before = await graphCounts();
    await importFile(DONATIONS, t.executor, { format: 'ftm', source: 'source:donations' });
    expect(await graphCounts()).toEqual(before);
  });

  it('maps FtM links, sanctions and notes onto our relationships, events and claims', async () => {
    const file = write('links.ijson', [
      ftm('ownlink', 'Ownership', { owner: ['p1'], asset: ['c1'], percentage: ['51'], startDate: ['2019-03-02'] }),
      ftm('p1', 'Person', { name: ['Zhang Wei', 'Wei Zhang'], nationality: ['CN'], birthDate: ['1975-04-01'], topics: ['sanction'], addressEntity: ['a1'] }),
      ftm('p2', 'Person', { firstName: ['Li'], lastName: ['Na'] }),
      ftm('c1', 'Company', { name: ['Golden Co'], jurisdiction: ['kh'], addressEntity: ['a1'] }),
      ftm('gov', 'PublicBody', { name: ['Ministry'] }),
      ftm('a1', 'Address', { full: ['1 Street, Phnom Penh'] }),
      ftm('dir', 'Directorship', { director: ['p1'], organization: ['c1'], role: ['Chairman'] }),
      ftm('fam', 'Family', { person: ['p1'], relative: ['p2'], relationship: ['spouse'] }),
      ftm('emp', 'Employment', { employee: ['p2'], employer: ['c1'] }),
      ftm('unk', 'UnknownLink', { subject: ['c1'], object: ['gov'] }),
      ftm('dangling', 'Associate', { person: ['p1'], associate: ['elsewhere'] }),
      ftm('san', 'Sanction', { entity: ['p1'], authority: ['OFAC'], program: ['SDN'], startDate: ['2023-09'] }),
      ftm('note', 'Note', { entity: ['c1'], description: ['Front company'] }),
      ftm('pay', 'Payment', { payer: ['p1'], beneficiary: ['c1'] }),
    ]);
    const summary = await importFile(file, t.executor, { format: 'ftm', source: 'source:ftm-links', sourceTitle: 'Links', batchSize: 3 });
    expect(summary.rejectedBatches).toBe(0);
    expect(summary.written).toEqual({ source: 1, person: 2, organisation: 2, compound: 0, event: 1, relationship: 5, claim: 2 });
    expect(summary.skipped).toEqual({
      'FtM Associate (an end is not in the file)': 1,
      'FtM Address (folded into the address of the entities that point at it)': 1,
      'FtM Payment (not modelled)': 1,
    });
    const rels = await t.cypher(
      "MATCH (a:Node)-[r]->(b:Node) WHERE NOT type(r) IN ['SOURCED_BY', 'ABOUT'] RETURN a.id + ' ' + type(r) + ' ' + b.id AS rel, r.position AS position, r.start AS start ORDER BY rel",
    );
    expect(rels).toEqual([
      { rel: 'event:ftm-san INVOLVES person:ftm-p1', position: null, start: null },
      { rel: 'organisation:ftm-c1 AFFILIATED_WITH organisation:ftm-gov', position: null, start: null },
      { rel: 'person:ftm-p1 FAMILY_OF person:ftm-p2', position: 'spouse', start: null },
      { rel: 'person:ftm-p1 LEADS organisation:ftm-c1', position: 'Chairman', start: null },
      { rel: 'person:ftm-p1 OWNS organisation:ftm-c1', position: '51%', start: '2019-03-02' },
      { rel: 'person:ftm-p2 EMPLOYED_BY organisation:ftm-c1', position: null, start: null },
    ]);
    const [p1] = await t.cypher("MATCH (p:Person {id: 'person:ftm-p1'}) RETURN p {.name, .aliases, .nationality, .birthDate, .topics, .referents} AS p");
    expect(p1!.p).toEqual({ name: 'Zhang Wei', aliases: ['Wei Zhang'], nationality: ['cn'], birthDate: '1975-04-01', topics: ['sanction'], referents: ['p1'] });
    const [p2] = await t.cypher("MATCH (p:Person {id: 'person:ftm-p2'}) RETURN p.name AS name");
    expect(p2!.name).toBe('Li Na');
    const orgs = await t.cypher('MATCH (o:Organisation) RETURN o.id AS id, o.kind AS kind, o.country AS country, o.address AS address ORDER BY id');
    expect(orgs).toEqual([
      { id: 'organisation:ftm-c1', kind: 'company', country: ['kh'], address: '1 Street, Phnom Penh' },
      { id: 'organisation:ftm-gov', kind: 'government_body', country: [], address: null },
    ]);
    const claims = await t.cypher('MATCH (c:Claim)-[:ABOUT]->(n) RETURN n.id AS subject, c.property AS property, c.value AS value ORDER BY subject');
    expect(claims).toEqual([
      { subject: 'organisation:ftm-c1', property: 'note', value: 'Front company' },
      { subject: 'person:ftm-p1', property: 'address', value: '1 Street, Phnom Penh' },
    ]);
    const [event] = await t.cypher("MATCH (e:Event) RETURN e {.id, .kind, .title, .date} AS e");
    expect(event!.e).toEqual({ id: 'event:ftm-san', kind: 'sanction', title: 'Sanction: OFAC, SDN', date: '2023-09' });
    // Exported again, entities keep their original FtM ids (their referents).
    const exported = [];
    for await (const entity of exportFtm(t.executor)) exported.push(entity);
    expect(exported.filter((e) => e.schema !== 'Event').map((e) => `${e.schema} ${e.id}`).filter((e) => !e.includes('tg.rel.')).sort()).toEqual([
      'Company c1', 'Person p1', 'Person p2', 'PublicBody gov',
    ]);
    expect(exported.find((e) => e.schema === 'Ownership')!.properties).toEqual({ owner: ['p1'], asset: ['c1'], startDate: ['2019-03-02'], role: ['51%'] });
  });

  it('maps each link to a type its ends allow, and skips and counts links no type fits, self-links and reversed dates', async () => {
    const file = write('ends.ijson', [
      ftm('p1', 'Person', { name: ['Ends One'] }),
      ftm('p2', 'Person', { name: ['Ends Two'] }),
      ftm('o1', 'Company', { name: ['Ends Co'] }),
      ftm('o2', 'Company', { name: ['Ends Holding'] }),
      ftm('re', 'RealEstate', { name: ['Ends Park'], latitude: ['11.5'] }),
      ftm('dir-org', 'Directorship', { director: ['o2'], organization: ['o1'] }),
      ftm('dir-person', 'Directorship', { director: ['p1'], organization: ['p2'] }),
      ftm('dir-reversed', 'Directorship', { director: ['o1'], organization: ['p1'] }),
      ftm('rep', 'Representation', { agent: ['p1'], client: ['o1'] }),
      ftm('assoc', 'Associate', { person: ['p1'], associate: ['p2'] }),
      ftm('own-re', 'Ownership', { owner: ['re'], asset: ['o1'] }),
      ftm('unk-leads', 'UnknownLink', { subject: ['re'], object: ['p1'], role: ['LEADS'] }),
      ftm('unk-protects', 'UnknownLink', { subject: ['o2'], object: ['re'], role: ['PROTECTS'] }),
      ftm('self', 'Associate', { person: ['p1'], associate: ['p1'] }),
      ftm('late', 'Membership', { member: ['p2'], organization: ['o1'], startDate: ['2025-01-01'], endDate: ['2020'] }),
      ftm('late-event', 'Event', { name: ['Backwards'], startDate: ['2025'], endDate: ['2020-06'] }),
    ]);
    const summary = await importFile(file, t.executor, { format: 'ftm', source: 'source:ftm-ends', sourceTitle: 'Ends' });
    expect(summary.rejectedBatches).toBe(0);
    expect(summary.errors).toEqual([]);
    expect(summary.skipped).toEqual({
      'FtM Directorship (no relation type fits its ends)': 2,
      'FtM Representation (no relation type fits its ends)': 1,
      'FtM Ownership (no relation type fits its ends)': 1,
      'FtM UnknownLink (no relation type fits its ends)': 1,
      'FtM Associate (links an entity to itself)': 1,
      'FtM Membership (ends before it starts)': 1,
      'FtM Event (ends before it starts)': 1,
    });
    const rels = await t.cypher(
      "MATCH (a:Node)-[r]->(b:Node) WHERE NOT type(r) IN ['SOURCED_BY', 'ABOUT'] RETURN a.id + ' ' + type(r) + ' ' + b.id AS rel ORDER BY rel",
    );
    expect(rels.map((r) => r.rel)).toEqual([
      'organisation:ftm-o2 AFFILIATED_WITH organisation:ftm-o1',
      'organisation:ftm-o2 PROTECTS compound:ftm-re',
      'person:ftm-p1 ASSOCIATE_OF person:ftm-p2',
    ]);
    // A coordinate alone is no location: the compound is written without one.
    expect(await t.cypher("MATCH (c:Compound {id: 'compound:ftm-re'}) RETURN c.location AS location")).toEqual([{ location: null }]);
  });

  it('requires --source, and an existing source unless --source-title creates it', async () => {
    await expect(importFile(DONATIONS, t.executor, { format: 'ftm' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(importFile(DONATIONS, t.executor, { format: 'ftm', source: 'source:missing' })).rejects.toThrow(
      'source source:missing does not exist: load it first or give --source-title to create it',
    );
  });

  it('round-trips a graph through FtM export and import with the same entities and relationships', async () => {
    await seed(t.executor, ['demo']);
    const entitiesQuery =
      "MATCH (n:Node) WHERE NOT n:Source RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'] AS labels, coalesce(n.name, n.title) AS name, coalesce(n.kind, n.status) AS kind, n.roles AS roles ORDER BY id";
    const relsQuery =
      "MATCH (a:Node)-[r]->(b:Node) WHERE NOT type(r) IN ['SOURCED_BY', 'INVOLVES', 'AT', 'FROM', 'TO'] RETURN a.id AS from, type(r) AS type, b.id AS to, r.start AS start, r.end AS end, r.position AS position ORDER BY from, type, to, start";
    const entities = await t.cypher(entitiesQuery);
    const rels = await t.cypher(relsQuery);
    const involves = await t.cypher("MATCH (e:Event)-[:INVOLVES]->(x) RETURN e.id + '>' + x.id AS pair ORDER BY pair");
    const file = path.join(dir, 'export.ijson');
    const lines: string[] = [];
    for await (const entity of exportFtm(t.executor, { includeVictims: true, pageSize: 20 })) lines.push(JSON.stringify(entity));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await wipeDatabase(t.executor);
    const summary = await importFile(file, t.executor, { format: 'ftm', source: 'source:roundtrip', sourceTitle: 'Round trip' });
    expect(summary.rejectedBatches).toBe(0);
    expect(summary.skipped).toEqual({});
    expect(await t.cypher(entitiesQuery)).toEqual(entities);
    expect(await t.cypher(relsQuery)).toEqual(rels);
    expect((await t.cypher("MATCH (e:Event)-[:INVOLVES]->(x) RETURN e.id + '>' + x.id AS pair ORDER BY pair")).map((r) => r.pair)).toEqual(
      [...new Set(involves.map((r) => r.pair))],
    );
  });

  it('leaves victims and their links out of the export unless asked', async () => {
    await seed(t.executor, ['demo']);
    const [victims] = await t.cypher('MATCH (v:Victim) RETURN collect(v.id) AS ids');
    const ids: string[] = victims!.ids;
    expect(ids.length).toBeGreaterThan(0);
    const exported: string[] = [];
    for await (const entity of exportFtm(t.executor)) exported.push(JSON.stringify(entity));
    for (const id of ids) expect(exported.join('\n')).not.toContain(`tg.${id.replace(':', '.')}"`);
  });

  it('leaves retired entities, and links to them, out of the export', async () => {
    await seed(t.executor, ['demo']);
    const [before] = await t.cypher<{ ids: string[] }>("MATCH (:Node {id: 'compound:demo-cloudgate'})<-[]-(x:Node) RETURN collect(DISTINCT x.id) AS ids");
    const exportedText = async () => {
      const lines: string[] = [];
      for await (const entity of exportFtm(t.executor)) lines.push(JSON.stringify(entity));
      return lines.join('\n');
    };
    expect(await exportedText()).toContain('tg.compound.demo-cloudgate"');
    await t.cypher("MATCH (n:Node {id: 'compound:demo-cloudgate'}) SET n.retiredAt = '2026-12-05T00:00:00Z', n.retiredBy = 'test'");
    const text = await exportedText();
    expect(before!.ids.length).toBeGreaterThan(0);
    // Neither the compound itself nor any link naming it.
    expect(text).not.toContain('tg.compound.demo-cloudgate"');
    expect(text).not.toContain('compound.demo-cloudgate');
  });
});

import { issueApiKey } from '../../src/auth/apiKeys';
import { migrate } from '../../src/db/migrations';
import { loadDataset, DatasetValidationError, validateDataset, writeDataset } from '../../src/ingest/loadDataset';
import { startTestServer, type TestServer } from '../helpers/testServer';

jest.setTimeout(180_000);

let t: TestServer;
let investigator: { id: string; key: string };
let journalist: string;
let admin: string;

beforeAll(async () => {
  t = await startTestServer({ datasets: ['demo'] });
  investigator = await issueApiKey(t.executor, 'investigator', 'mutations test');
  journalist = await t.keyFor('journalist');
  admin = await t.keyFor('admin');
});
afterAll(async () => {
  await t.close();
});

const SOURCE = 'source:demo-synthetic';
const CHANGE = 'operation entityIds role keyId before after reason';
const CREATE = `mutation($kind: EntityKind!, $input: JSON!) { createEntity(kind: $kind, input: $input) { ${CHANGE} } }`;
const UPDATE = `mutation($id: ID!, $patch: JSON!) { updateEntity(id: $id, patch: $patch) { ${CHANGE} } }`;
const RETIRE = `mutation($id: ID!, $reason: String) { retireEntity(id: $id, reason: $reason) { ${CHANGE} } }`;
const CHANGES = 'query($id: ID!) { changes(entityId: $id) { operation entityIds role keyId reason } }';

/** Every node and relationship count, to prove a failed mutation wrote nothing. */
async function counts(): Promise<{ nodes: number; rels: number }> {
  const [row] = await t.cypher('MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels');
  return { nodes: Number(row!.nodes), rels: Number(row!.rels) };
}

describe('entity mutations', () => {
  const person = { id: 'person:mut-kiet', name: 'Kiet Demo', roles: ['broker'], nationality: ['vn'], birthDate: '1980', sources: [SOURCE] };

  it('creates, updates and retires a person, each with a change record readable by admins', async () => {
    const created = await t.graphql(CREATE, { kind: 'PERSON', input: person }, { key: investigator.key });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createEntity).toMatchObject({
      operation: 'CREATE_PERSON',
      entityIds: ['person:mut-kiet'],
      role: 'INVESTIGATOR',
      keyId: investigator.id,
      before: null,
      after: expect.objectContaining({ name: 'Kiet Demo', birthDate: '1980', sources: [SOURCE], dataset: 'import' }),
    });
    const read = await t.graphql('{ node(id: "person:mut-kiet") { ... on Person { name birthDate nationality sources { id } } } }', {}, { key: journalist });
    expect(read.data!.node).toEqual({ name: 'Kiet Demo', birthDate: '1980', nationality: ['vn'], sources: [{ id: SOURCE }] });

    const updated = await t.graphql(UPDATE, { id: 'person:mut-kiet', patch: { birthDate: '1980-04-02', aliases: ['K. Demo'] } }, { key: investigator.key });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateEntity.before).toMatchObject({ birthDate: '1980' });
    expect(updated.data!.updateEntity.after).toMatchObject({ birthDate: '1980-04-02', aliases: ['K. Demo'], name: 'Kiet Demo', nationality: ['vn'] });

    const retired = await t.graphql(RETIRE, { id: 'person:mut-kiet', reason: 'duplicate entry' }, { key: investigator.key });
    expect(retired.errors).toBeUndefined();
    expect(retired.data!.retireEntity.after).toMatchObject({ retiredBy: investigator.id, retiredAt: expect.stringMatching(/^\d{4}-/) });
    // Retired: kept in the database, gone from node(), lists and search.
    const [stored] = await t.cypher('MATCH (p:Person {id: "person:mut-kiet"}) RETURN p.retiredBy AS by, p.name AS name');
    expect(stored).toEqual({ by: investigator.id, name: 'Kiet Demo' });
    const gone = await t.graphql(
      `{ node(id: "person:mut-kiet") { id } persons(filter: { nameContains: "Kiet" }) { totalCount }
         search(query: "Kiet") { totalCount } }`,
      {},
      { key: investigator.key },
    );
    expect(gone.data).toEqual({ node: null, persons: { totalCount: 0 }, search: { totalCount: 0 } });

    const log = await t.graphql(CHANGES, { id: 'person:mut-kiet' }, { key: admin });
    expect(log.errors).toBeUndefined();
    const entry = (operation: string, reason: string | null) => ({ operation, entityIds: ['person:mut-kiet'], role: 'INVESTIGATOR', keyId: investigator.id, reason });
    expect(log.data!.changes).toEqual([entry('RETIRE_PERSON', 'duplicate entry'), entry('UPDATE_PERSON', null), entry('CREATE_PERSON', null)]);
    const notAdmin = await t.graphql(CHANGES, { id: 'person:mut-kiet' }, { key: investigator.key });
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects a missing or unknown source and a bad date, naming the field, and writes nothing', async () => {
    const before = await counts();
    const { sources: _omit, ...noSources } = { ...person, id: 'person:mut-nosrc' };
    void _omit;
    const cases: [Record<string, unknown>, string][] = [
      [noSources, 'input.sources'],
      [{ ...person, id: 'person:mut-badsrc', sources: ['source:does-not-exist'] }, 'input.sources[0]'],
      [{ ...person, id: 'person:mut-baddate', birthDate: '1980-13-40' }, 'input.birthDate'],
      [{ ...person, id: 'person:mut-none', sources: [] }, 'input.sources'],
    ];
    for (const [input, field] of cases) {
      const res = await t.graphql(CREATE, { kind: 'PERSON', input }, { key: investigator.key });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: field });
      expect(res.errors?.[0]?.message).toContain(field);
    }
    const badPatch = await t.graphql(UPDATE, { id: 'person:demo-broker-alpha', patch: { birthDate: 'yesterday' } }, { key: investigator.key });
    expect(badPatch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'patch.birthDate' });
    const unknownField = await t.graphql(UPDATE, { id: 'person:demo-broker-alpha', patch: { shoeSize: 44 } }, { key: investigator.key });
    expect(unknownField.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'patch.shoeSize' });
    expect(await counts()).toEqual(before);
  });

  it('refuses journalists and the public with FORBIDDEN, writing nothing', async () => {
    const before = await counts();
    for (const key of [journalist, undefined]) {
      const res = await t.graphql(CREATE, { kind: 'PERSON', input: { ...person, id: 'person:mut-journo' } }, { key });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const retire = await t.graphql(RETIRE, { id: 'person:demo-broker-alpha' }, { key: journalist });
    expect(retire.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('stops a mutation in Neo4j when its HTTP client goes away, and writes none of it', async () => {
    const id = 'person:mut-cancelled';
    expect((await t.graphql(CREATE, { kind: 'PERSON', input: { ...person, id, name: 'Cancel Demo' } }, { key: investigator.key })).errors).toBeUndefined();
    const blocked = async (): Promise<number> =>
      Number((await t.cypher("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n"))[0]!.n);
    // Another transaction holds the person's write lock, so the update waits inside Neo4j until it is stopped.
    const holder = t.driver.session();
    const lock = await holder.beginTransaction();
    try {
      await lock.run('MATCH (p:Person {id: $id}) SET p.name = p.name', { id });
      const client = new AbortController();
      const request = fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${investigator.key}` },
        body: JSON.stringify({ query: UPDATE, variables: { id, patch: { name: 'Never Written' } } }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      const until = async (condition: () => Promise<boolean>): Promise<boolean> => {
        for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
          if (await condition()) return true;
        }
        return false;
      };
      expect(await until(async () => (await blocked()) === 1)).toBe(true);
      client.abort();
      expect(await request).toMatchObject({ name: 'AbortError' });
      // Gone from Neo4j while the lock is still held: stopped, not finished.
      expect(await until(async () => (await blocked()) === 0)).toBe(true);
    } finally {
      await lock.rollback();
      await holder.close();
    }
    const [stored] = await t.cypher('MATCH (p:Person {id: $id}) RETURN p.name AS name', { id });
    expect(stored).toEqual({ name: 'Cancel Demo' });
    const log = await t.graphql(CHANGES, { id }, { key: admin });
    expect(log.data!.changes.map((change: { operation: string }) => change.operation)).toEqual(['CREATE_PERSON']);
  });

  it('creates and updates an event with participants and a compound', async () => {
    const input = {
      id: 'event:mut-raid',
      kind: 'raid',
      date: '2025-02',
      title: 'Raid (test)',
      compound: 'compound:demo-cloudgate',
      participants: [{ id: 'person:demo-broker-alpha', role: 'subject' }],
      sources: [SOURCE],
    };
    const created = await t.graphql(CREATE, { kind: 'EVENT', input }, { key: investigator.key });
    expect(created.errors).toBeUndefined();
    const updated = await t.graphql(UPDATE, { id: 'event:mut-raid', patch: { date: '2025-02-03' } }, { key: investigator.key });
    expect(updated.errors).toBeUndefined();
    const [row] = await t.cypher(
      `MATCH (e:Event {id: 'event:mut-raid'})-[:AT]->(c:Compound)
       RETURN e.dateStart AS start, c.id AS compound, [(e)-[r:INVOLVES]->(x) | x.id + '/' + r.role] AS participants`,
    );
    expect(row).toEqual({ start: '2025-02-03', compound: 'compound:demo-cloudgate', participants: ['person:demo-broker-alpha/subject'] });
  });

  it("refuses event text that names a victim it involves, and a victim's name or alias already in such text; writes nothing", async () => {
    const before = await counts();
    const event = (id: string, victim: string, text: Record<string, string>) => ({
      id,
      kind: 'transit',
      date: '2025-03',
      title: 'Transit (test)',
      toCompound: 'compound:demo-cloudgate',
      participants: [{ id: victim, role: 'victim' }],
      sources: [SOURCE],
      ...text,
    });
    const refusal = async (response: Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }>) => {
      const { errors } = await response;
      return { code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message };
    };
    // The name in full, in another case; an alias ("Nong Quill (demo alias)") in the title.
    expect(
      await refusal(t.graphql(CREATE, { kind: 'EVENT', input: event('event:mut-named', 'person:demo-victim-0001', { description: 'ANONG Quillfeather was moved at night.' }) }, { key: investigator.key })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'input.description: names the victim person:demo-victim-0001 (their name or an alias): refer to a victim by id, which journalists see as a pseudonym',
    });
    expect(
      await refusal(t.graphql(CREATE, { kind: 'EVENT', input: event('event:mut-named', 'person:demo-victim-0001', { title: 'Nong Quill moved' }) }, { key: investigator.key })),
    ).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^input\.title: names the victim person:demo-victim-0001 /) });
    // An update that writes the name into a stored event is refused the same way.
    expect(
      await refusal(t.graphql(UPDATE, { id: 'event:demo-2023-03-01-transit', patch: { place: 'Anong Quillfeather house' } }, { key: investigator.key })),
    ).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^patch\.place: names the victim person:demo-victim-0001 /) });
    // A batch import, and a dataset load, with the victim defined in the same document.
    const imported = await t.graphql(
      'mutation($records: JSON!) { importRecords(records: $records) { written } }',
      { records: [{ type: 'event', ...event('event:mut-imported', 'person:demo-victim-0002', { description: 'Quang Veridian sold on.' }) }] },
      { key: investigator.key },
    );
    expect(imported.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'records[0].description' });
    const newVictim = { id: 'person:mut-v-0099', name: 'Pim Oakhollow', roles: ['victim'], sources: [SOURCE] };
    const loaded = loadDataset({ persons: [newVictim], events: [event('event:mut-loaded', newVictim.id, { title: 'Pim Oakhollow transit' })] }, t.executor);
    await expect(loaded).rejects.toMatchObject({ issues: [{ path: 'events[0].title', message: expect.stringContaining(`names the victim ${newVictim.id}`) }] });
    expect(await counts()).toEqual(before);

    // Referring to the victim by id is how it is done, and is accepted.
    const fine = event('event:mut-by-id', 'person:demo-victim-0003', { description: 'person:demo-victim-0003 moved with a man called Kiet Lam.' });
    expect((await t.graphql(CREATE, { kind: 'EVENT', input: fine }, { key: investigator.key })).errors).toBeUndefined();
    // Giving the victim an alias that this stored event's text holds would expose them through it.
    expect(
      await refusal(t.graphql(UPDATE, { id: 'person:demo-victim-0003', patch: { aliases: ['Marigoldson-R (demo alias)', 'Kiet Lam'] } }, { key: investigator.key })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'patch.aliases: the stored event event:mut-by-id holds it in its description, where every role would read it: take it out of the event first',
    });
    const [stored] = await t.cypher('MATCH (p:Person {id: "person:demo-victim-0003"}) RETURN p.aliases AS aliases');
    expect(stored).toEqual({ aliases: ['Marigoldson-R (demo alias)'] });
    // A journalist reads the accepted event with no name in it.
    const read = await t.graphql('{ node(id: "event:mut-by-id") { ... on Event { description } } }', {}, { key: journalist });
    expect(read.data).toEqual({ node: { description: 'person:demo-victim-0003 moved with a man called Kiet Lam.' } });
  });

  it('refuses any text every role reads that names any victim, stored or loaded with it, and a victim named already in stored text; writes nothing', async () => {
    const before = await counts();
    const refusal = async (response: Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }>) => {
      const { errors } = await response;
      return { code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message };
    };
    const NAMES_ANONG = 'names the victim person:demo-victim-0001 (their name or an alias): refer to a victim by id, which journalists see as a pseudonym';
    // An event that does not involve the victim, a compound's description, a broker's description.
    const unrelated = { id: 'event:mut-unrelated', kind: 'raid', date: '2025-04', title: 'Raid (test)', compound: 'compound:demo-cloudgate', description: 'Police were told about anong QUILLFEATHER.', sources: [SOURCE] };
    expect(await refusal(t.graphql(CREATE, { kind: 'EVENT', input: unrelated }, { key: investigator.key }))).toEqual({ code: 'BAD_USER_INPUT', message: `input.description: ${NAMES_ANONG}` });
    // The name with characters a reader does not see inside it (a zero-width space, a soft hyphen), as copied from a PDF.
    const invisible = { ...unrelated, description: 'Police were told about Qu\u200Bang Veri\u00ADdian.' };
    expect(await refusal(t.graphql(CREATE, { kind: 'EVENT', input: invisible }, { key: investigator.key }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^input\.description: names the victim person:demo-victim-0002 /),
    });
    // The name disguised with look-alike letters of another script (a Cyrillic а and і), as channels write to get past filters.
    const disguised = { ...unrelated, description: 'Police were told about Qu\u0430ng Ver\u0456dian.' };
    expect(await refusal(t.graphql(CREATE, { kind: 'EVENT', input: disguised }, { key: investigator.key }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/^input\.description: names the victim person:demo-victim-0002 /),
    });
    expect(
      await refusal(t.graphql(UPDATE, { id: 'compound:demo-cloudgate', patch: { description: 'Where Nong Quill was held.' } }, { key: investigator.key })),
    ).toEqual({ code: 'BAD_USER_INPUT', message: `patch.description: ${NAMES_ANONG}` });
    expect(
      await refusal(t.graphql(UPDATE, { id: 'person:demo-broker-alpha', patch: { description: 'Sold Ánong Quillfeather twice.' } }, { key: investigator.key })),
    ).toEqual({ code: 'BAD_USER_INPUT', message: `patch.description: ${NAMES_ANONG}` });
    // A relationship's position.
    const position = { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-bravo', key: 'named', position: 'handler of Quang Veridian', sources: [SOURCE] };
    expect(
      await refusal(t.graphql('mutation($input: JSON!) { createRelationship(input: $input) { operation } }', { input: position }, { key: investigator.key })),
    ).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^input\.position: names the victim person:demo-victim-0002 /) });
    // A person's position (every role reads it, unless the person is a victim).
    expect(
      await refusal(t.graphql(UPDATE, { id: 'person:demo-broker-alpha', patch: { position: 'Driver for Anong Quillfeather' } }, { key: investigator.key })),
    ).toEqual({ code: 'BAD_USER_INPUT', message: `patch.position: ${NAMES_ANONG}` });
    // A source's title, an organisation's description and a claim's value, in one load: every problem is named.
    const load = loadDataset(
      {
        sources: [{ id: 'source:mut-named', title: 'Interview with Rizal Marigoldson', published: '2025', reliability: 'C', kind: 'ngo' }],
        organisations: [{ id: 'organisation:mut-named', name: 'Test Org', kind: 'company', description: 'Paid for Siti Lumenara.', sources: [SOURCE] }],
        claims: [{ id: 'claim:mut-named', subject: 'compound:demo-cloudgate', property: 'headcount', value: 'Zephyrine-H and 40 others', sources: [SOURCE] }],
      },
      t.executor,
    );
    await expect(load).rejects.toMatchObject({
      issues: [
        { path: 'sources[0].title', message: expect.stringContaining('names the victim person:demo-victim-0003 ') },
        { path: 'organisations[0].description', message: expect.stringContaining('names the victim person:demo-victim-0004 ') },
        { path: 'claims[0].value', message: expect.stringContaining('names the victim person:demo-victim-0005 ') },
      ],
    });
    // A victim loaded with the text that names them, though no event links them.
    const newVictim = { id: 'person:mut-v-0098', name: 'Ilse Brackenmoor', roles: ['victim'], sources: [SOURCE] };
    await expect(
      loadDataset({ persons: [newVictim], compounds: [{ id: 'compound:mut-named', name: 'Test Park', country: 'kh', description: 'Ilse Brackenmoor was held here.', sources: [SOURCE] }] }, t.executor),
    ).rejects.toMatchObject({ issues: [{ path: 'compounds[0].description', message: expect.stringContaining(`names the victim ${newVictim.id} `) }] });
    expect(await counts()).toEqual(before);

    // A victim's own record is shown masked, so it may hold their name; so may a claim about them.
    const ownRecord = await loadDataset(
      {
        persons: [{ ...newVictim, description: 'Ilse Brackenmoor, interviewed in 2025.' }],
        claims: [{ id: 'claim:mut-own', subject: newVictim.id, property: 'name', value: 'Ilse Brackenmoor', sources: [SOURCE] }],
      },
      t.executor,
    );
    expect(ownRecord).toMatchObject({ persons: 1, claims: 1 });
    // Text that names nobody yet, then a victim given that name: refused, naming where the stored text is.
    const note = { id: 'compound:mut-note', name: 'Test Tower', country: 'kh', description: 'A guard called Tomas Ferrow-Vale works here.', sources: [SOURCE] };
    expect((await t.graphql(CREATE, { kind: 'COMPOUND', input: note }, { key: investigator.key })).errors).toBeUndefined();
    expect(
      await refusal(t.graphql(UPDATE, { id: newVictim.id, patch: { aliases: ["Tomas Ferrow-Vale"] } }, { key: investigator.key })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'patch.aliases: the stored compound compound:mut-note holds it in its description, where every role would read it: take it out of the compound first',
    });
    // The same for a relationship's position, and a victim whose name Lucene splits differently ("O'Dowd").
    const minder = { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-bravo', key: 'minder', position: "minder of Ota O'Dowd", sources: [SOURCE] };
    expect((await t.graphql('mutation($input: JSON!) { createRelationship(input: $input) { operation } }', { input: minder }, { key: investigator.key })).errors).toBeUndefined();
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0097', name: "Ota O'Dowd", roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [
        {
          path: 'persons[0].name',
          message: 'the stored relationship person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|minder holds it in its position, where every role would read it: take it out of the relationship first',
        },
      ],
    });
    // And for a person's position.
    const driver = { id: 'person:mut-driver', name: 'Test Driver', roles: ['guard'], position: 'Driver for Wren Ashcombe', sources: [SOURCE] };
    expect((await t.graphql(CREATE, { kind: 'PERSON', input: driver }, { key: investigator.key })).errors).toBeUndefined();
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0096', name: 'Wren Ashcombe', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: 'the stored person person:mut-driver holds it in its position, where every role would read it: take it out of the person first' }],
    });
    // Stored text whose words Lucene does not index as a reader sees them: a soft hyphen inside one name, look-alike
    // letters (a Cyrillic Ѕ and е) in another. Each victim given such a name later is found there all the same.
    const hidden = { id: 'compound:mut-hidden', name: 'Test Annex', country: 'kh', description: 'Guards Bran\u00ADnoch Weller and \u0405aoirse T\u0435nly work here.', sources: [SOURCE] };
    expect((await t.graphql(CREATE, { kind: 'COMPOUND', input: hidden }, { key: investigator.key })).errors).toBeUndefined();
    const hiddenIssue = 'the stored compound compound:mut-hidden holds it in its description, where every role would read it: take it out of the compound first';
    for (const [index, name] of ['Brannoch Weller', 'Saoirse Tenly'].entries()) {
      await expect(loadDataset({ persons: [{ id: `person:mut-v-009${index}`, name, roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
        issues: [{ path: 'persons[0].name', message: hiddenIssue }],
      });
    }
    const hiddenMinder = { ...minder, key: 'hidden', position: 'minder of Il\u0455e Ve\u00ADrrow' };
    expect((await t.graphql('mutation($input: JSON!) { createRelationship(input: $input) { operation } }', { input: hiddenMinder }, { key: investigator.key })).errors).toBeUndefined();
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0094', name: 'Ilse Verrow', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [
        {
          path: 'persons[0].name',
          message: 'the stored relationship person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|hidden holds it in its position, where every role would read it: take it out of the relationship first',
        },
      ],
    });
    // Taking the name out of the text and giving the alias in one load is accepted.
    const fixed = await loadDataset(
      { persons: [{ ...newVictim, aliases: ['Tomas Ferrow-Vale'] }], compounds: [{ ...note, description: 'A guard works here.' }] },
      t.executor,
    );
    expect(fixed).toMatchObject({ persons: 1, compounds: 1 });
    const [stored] = await t.cypher('MATCH (p:Person {id: $id}) RETURN p.aliases AS aliases', { id: newVictim.id });
    expect(stored).toEqual({ aliases: ['Tomas Ferrow-Vale'] });
    // Leave the demo network as the other tests expect it.
    for (const key of ['minder', 'hidden']) {
      const id = `person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|${key}`;
      expect((await t.graphql('mutation($id: ID!) { retireRelationship(id: $id) { operation } }', { id }, { key: investigator.key })).errors).toBeUndefined();
    }
  });

  it('refuses ids, URLs, publishers, addresses and relationship keys that name a victim, as written or percent-encoded; writes nothing', async () => {
    const before = await counts();
    // Anong Quillfeather is person:demo-victim-0001.
    const load = loadDataset(
      {
        sources: [
          { id: 'source:mut-anong-quillfeather-interview', title: 'An interview', reliability: 'C', kind: 'ngo' },
          { id: 'source:mut-url', title: 'A report', url: 'https://news.example/2025/anong%20quillfeather-rescued', publisher: 'Friends of Anong Quillfeather', reliability: 'C', kind: 'news' },
        ],
        organisations: [{ id: 'organisation:mut-addr', name: 'Test Org', kind: 'company', address: 'c/o Anong Quillfeather, Mae Sot', sources: [SOURCE] }],
        events: [{ id: 'event:2025-anong-quillfeather-sold', kind: 'transfer', date: '2025', title: 'A transfer', sources: [SOURCE] }],
        claims: [{ id: 'claim:anong-quillfeather-headcount', subject: 'compound:demo-cloudgate', property: 'headcount', value: '40', sources: [SOURCE] }],
        relationships: [{ type: 'WORKS_AT', from: 'person:tomas-ferrow', to: 'compound:demo-cloudgate', key: 'anong-quillfeather', sources: [SOURCE] }],
        persons: [{ id: 'person:tomas-ferrow', name: 'Tomas Ferrow', roles: ['guard'], sources: [SOURCE] }],
      },
      t.executor,
    );
    const NAMED = expect.stringContaining('names the victim person:demo-victim-0001 ');
    await expect(load).rejects.toMatchObject({
      issues: expect.arrayContaining(
        ['sources[0].id', 'sources[1].url', 'sources[1].publisher', 'organisations[0].address', 'events[0].id', 'claims[0].id', 'relationships[0].key'].map((path) => ({ path, message: NAMED })),
      ),
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a victim participant who is not recorded as a victim, or is no person; writes nothing', async () => {
    const before = await counts();
    const event = (participants: { id: string; role: string }[]) => ({ id: 'event:mut-2025-transfer', kind: 'transfer', date: '2025', title: 'A transfer', participants, sources: [SOURCE] });
    const NOT_RECORDED = (id: string) => `${id} takes part as a victim but is not recorded as one: add "victim" to their roles`;
    // Stored, defined in the same load, and no person at all.
    await expect(loadDataset({ events: [event([{ id: 'person:demo-broker-alpha', role: 'victim' }])] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'events[0].participants[0].role', message: NOT_RECORDED('person:demo-broker-alpha') }],
    });
    const witness = { id: 'person:mut-witness', name: 'Corvin Halloway', roles: ['witness'], sources: [SOURCE] };
    await expect(loadDataset({ persons: [witness], events: [event([{ id: witness.id, role: 'victim' }])] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'events[0].participants[0].role', message: NOT_RECORDED(witness.id) }],
    });
    await expect(loadDataset({ events: [event([{ id: 'compound:demo-cloudgate', role: 'victim' }])] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'events[0].participants[0].role', message: "victim is a person's role, not compound's" }],
    });
    const created = await t.graphql(CREATE, { kind: 'EVENT', input: event([{ id: 'person:demo-broker-alpha', role: 'victim' }]) }, { key: investigator.key });
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.participants[0].role' });
    expect(await counts()).toEqual(before);
    // A recorded victim takes part as one.
    const ok = await t.graphql(CREATE, { kind: 'EVENT', input: event([{ id: 'person:demo-victim-0001', role: 'victim' }]) }, { key: investigator.key });
    expect(ok.errors).toBeUndefined();
  });

  it('gives text stored before readText existed its readText when migrated, once, so a victim named in it later is found', async () => {
    // Text as earlier versions stored it, without readText: a soft hyphen inside one name, a Cyrillic ѕ in another.
    const old = 'person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|old';
    await t.cypher(
      `CREATE (:Node:Compound {id: 'compound:mut-old', name: 'Old Annex', country: 'kh', description: 'Guards Tam\u00ADsin Orwell work here.', dataset: 'import', synthetic: false, sources: [$source]}),
         (:Node:Compound {id: 'compound:mut-old-plain', name: 'Old Plain', country: 'kh', description: 'Guards work here.', dataset: 'import', synthetic: false, sources: [$source]})
       WITH 1 AS one MATCH (a:Node {id: 'person:demo-broker-alpha'}), (b:Node {id: 'person:demo-broker-bravo'})
       CREATE (a)-[:ASSOCIATE_OF {id: $old, key: 'old', position: 'minder of Ca\u0455per Lund', dataset: 'import', synthetic: false, sources: [$source]}]->(b)`,
      { source: SOURCE, old },
    );
    await t.cypher('MATCH (m:Migration) DELETE m');
    await migrate(t.executor);
    const readTexts = async () =>
      t.cypher(
        `MATCH (n:Node) WHERE n.id STARTS WITH 'compound:mut-old' RETURN n.id AS id, n.readText AS readText
         UNION MATCH ()-[r:ASSOCIATE_OF {id: $old}]->() RETURN r.id AS id, r.readText AS readText`,
        { old },
      );
    expect(await readTexts()).toEqual(
      expect.arrayContaining([
        { id: 'compound:mut-old', readText: 'guards tamsin orwell work here' },
        { id: 'compound:mut-old-plain', readText: null },
        { id: old, readText: 'minder of casper lund' },
      ]),
    );
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0093', name: 'Tamsin Orwell', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: expect.stringContaining('the stored compound compound:mut-old holds it in its description') }],
    });
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0092', name: 'Casper Lund', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: expect.stringContaining(`the stored relationship ${old} holds it in its position`) }],
    });
    // Once: a later migration reads nothing again (text stored since then got its readText when it was written).
    await t.cypher("MATCH (n:Node {id: 'compound:mut-old'}) REMOVE n.readText");
    await migrate(t.executor);
    expect(await t.cypher("MATCH (n:Node {id: 'compound:mut-old'}) RETURN n.readText AS readText")).toEqual([{ readText: null }]);
    await t.cypher("MATCH (n:Node) WHERE n.id STARTS WITH 'compound:mut-old' DETACH DELETE n");
    await t.cypher('MATCH ()-[r:ASSOCIATE_OF {id: $old}]->() DELETE r', { old });
  });

  it('finds victims named in scripts written without spaces (Chinese in either script, Japanese in either kana, Thai, Burmese) or with particles (Korean), stored or loaded, both ways; writes nothing', async () => {
    const refusal = async (response: Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }>) => {
      const { errors } = await response;
      return { code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message };
    };
    const victim = { id: 'person:mut-v-0096', name: '岑晓澜', aliases: ['สมศรี ทองคำ', 'မောင်သန်း', '한서윤'], roles: ['victim'], sources: [SOURCE] };
    expect(await loadDataset({ persons: [victim] }, t.executor)).toMatchObject({ persons: 1 });
    const before = await counts();
    const NAMES = `names the victim ${victim.id} (their name or an alias): refer to a victim by id, which journalists see as a pseudonym`;
    // Text with no word of the name in it: the victim is found by the scan of victims with such names, and the
    // name inside a longer run of characters, in the name and in each alias.
    const compound = { id: 'compound:mut-cjk', name: 'Test Garden', country: 'mm', description: '据报道岑晓澜被转移到另一个园区', sources: [SOURCE] };
    expect(await refusal(t.graphql(CREATE, { kind: 'COMPOUND', input: compound }, { key: investigator.key }))).toEqual({ code: 'BAD_USER_INPUT', message: `input.description: ${NAMES}` });
    const position = { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-bravo', key: 'thai', position: 'ผู้ดูแลสมศรีทองคำ', sources: [SOURCE] };
    expect(
      await refusal(t.graphql('mutation($input: JSON!) { createRelationship(input: $input) { operation } }', { input: position }, { key: investigator.key })),
    ).toEqual({ code: 'BAD_USER_INPUT', message: `input.position: ${NAMES}` });
    await expect(
      loadDataset({ events: [{ id: 'event:mut-mm', kind: 'transfer', date: '2025-05', title: 'ဒုက္ခသည်မောင်သန်းကိုရောင်းချခဲ့သည်', sources: [SOURCE] }] }, t.executor),
    ).rejects.toMatchObject({ issues: [{ path: 'events[0].title', message: expect.stringContaining(`names the victim ${victim.id} `) }] });
    // A Korean name joined to its particle (한서윤이).
    await expect(
      loadDataset({ events: [{ id: 'event:mut-ko', kind: 'transfer', date: '2025-05', title: '피해자 한서윤이 다른 단지로 팔려갔다', sources: [SOURCE] }] }, t.executor),
    ).rejects.toMatchObject({ issues: [{ path: 'events[0].title', message: expect.stringContaining(`names the victim ${victim.id} `) }] });
    // The simplified name written in traditional characters (岑曉瀾) is the same name.
    const traditional = { ...compound, description: '據報道岑曉瀾被轉移到另一個園區' };
    expect(await refusal(t.graphql(CREATE, { kind: 'COMPOUND', input: traditional }, { key: investigator.key }))).toEqual({ code: 'BAD_USER_INPUT', message: `input.description: ${NAMES}` });
    expect(await counts()).toEqual(before);

    // Text in those scripts that names nobody is accepted; a victim then given a name it holds is refused, whether
    // Lucene indexed the text a character at a time (Chinese) or as one long run (Thai).
    const guard = { ...compound, description: '园区里有一个叫黎明辉的保安，還有一個叫陸文傑的廚師。경비원 박도현은 체포되었다. 通訳のタナカハルミも見た。' };
    expect((await t.graphql(CREATE, { kind: 'COMPOUND', input: guard }, { key: investigator.key })).errors).toBeUndefined();
    const gate = { id: 'event:mut-th', kind: 'raid', date: '2025-06', title: 'Raid (test)', compound: 'compound:demo-cloudgate', description: 'คนเฝ้าประตูชื่อบุญมีศรีสุขถูกจับ', sources: [SOURCE] };
    expect((await t.graphql(CREATE, { kind: 'EVENT', input: gate }, { key: investigator.key })).errors).toBeUndefined();
    const after = await counts();
    expect(await refusal(t.graphql(UPDATE, { id: victim.id, patch: { aliases: [...victim.aliases, '黎明辉'] } }, { key: investigator.key }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'patch.aliases: the stored compound compound:mut-cjk holds it in its description, where every role would read it: take it out of the compound first',
    });
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0095', name: 'บุญมี ศรีสุข', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: 'the stored event event:mut-th holds it in its description, where every role would read it: take it out of the event first' }],
    });
    // A victim named in simplified characters (陆文杰) is found in stored text that writes the name in traditional ones.
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0094', name: '陆文杰', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: 'the stored compound compound:mut-cjk holds it in its description, where every role would read it: take it out of the compound first' }],
    });
    // A Korean name that stored text holds joined to its particle (박도현은), which Lucene keeps as one token.
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0093', name: '박도현', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: 'the stored compound compound:mut-cjk holds it in its description, where every role would read it: take it out of the compound first' }],
    });
    // A Japanese name in hiragana is the same name as stored text's katakana (タナカハルミ, one token to Lucene).
    await expect(loadDataset({ persons: [{ id: 'person:mut-v-0092', name: 'たなか はるみ', roles: ['victim'], sources: [SOURCE] }] }, t.executor)).rejects.toMatchObject({
      issues: [{ path: 'persons[0].name', message: 'the stored compound compound:mut-cjk holds it in its description, where every role would read it: take it out of the compound first' }],
    });
    expect(await counts()).toEqual(after);
    const [stored] = await t.cypher('MATCH (p:Person {id: $id}) RETURN p.aliases AS aliases', { id: victim.id });
    expect(stored).toEqual({ aliases: victim.aliases });
    // Leave the demo network as the other tests expect it.
    expect((await t.graphql(RETIRE, { id: gate.id, reason: 'test' }, { key: investigator.key })).errors).toBeUndefined();
  });

  it('checks the victim-name rule under a lock: of two loads racing, one adding a victim and one text naming them, one is refused', async () => {
    const pairs = Array.from({ length: 6 }, (_, i) => {
      const name = `Wren Halloway${'x'.repeat(i + 1)}`;
      const victim = { persons: [{ id: `person:mut-v-race-${i}`, name, roles: ['victim'], sources: [SOURCE] }] };
      const text = { compounds: [{ id: `compound:mut-race-${i}`, name: `Race Park ${i}`, country: 'kh', description: `${name} was held here.`, sources: [SOURCE] }] };
      return [victim, text] as const;
    });
    const outcomes = await Promise.all(pairs.map(([victim, text]) => Promise.allSettled([loadDataset(victim, t.executor), loadDataset(text, t.executor)])));
    for (const [index, outcome] of outcomes.entries()) {
      const refused = outcome.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect({ index, fulfilled: outcome.filter((o) => o.status === 'fulfilled').length, refused: refused.length }).toEqual({ index, fulfilled: 1, refused: 1 });
      expect(refused[0]?.reason).toBeInstanceOf(DatasetValidationError);
      expect(String((refused[0]?.reason as DatasetValidationError).issues[0]?.message)).toMatch(/names the victim person:mut-v-race-|where every role would read it/);
    }
  });

  it('applies concurrent updates of one entity one after another, losing none, each change starting from the last', async () => {
    const id = 'person:mut-concurrent';
    expect((await t.graphql(CREATE, { kind: 'PERSON', input: { id, name: 'Concurrent Demo', sources: [SOURCE] } }, { key: investigator.key })).errors).toBeUndefined();
    const patches = [{ aliases: ['Con Demo'] }, { birthDate: '1950' }, { position: 'cashier' }, { gender: 'female' }, { nationality: ['kh'] }];
    const answers = await Promise.all(patches.map((patch) => t.graphql(UPDATE, { id, patch }, { key: investigator.key })));
    expect(answers.map((answer) => answer.errors)).toEqual(patches.map(() => undefined));
    const [stored] = await t.cypher('MATCH (p:Person {id: $id}) RETURN p.aliases AS aliases, p.birthDate AS birthDate, p.position AS position, p.gender AS gender, p.nationality AS nationality', { id });
    expect(stored).toEqual({ aliases: ['Con Demo'], birthDate: '1950', position: 'cashier', gender: 'female', nationality: ['kh'] });
    // The changes chain: each one's `before` is the creation's or another update's `after`, and no state is the `before`
    // of two changes (as it would be if two updates had started from the same state and one overwritten the other).
    const canonical = (text: string) => {
      const { participants: _p, ...props } = JSON.parse(text) as Record<string, unknown>;
      void _p;
      return JSON.stringify(props, Object.keys(props).sort());
    };
    const changes = await t.cypher<{ operation: string; before: string | null; after: string }>(
      'MATCH (c:Change) WHERE $id IN c.entityIds RETURN c.operation AS operation, c.before AS before, c.after AS after',
      { id },
    );
    const updates = changes.filter((change) => change.operation === 'UPDATE_PERSON');
    expect(updates).toHaveLength(patches.length);
    const afters = changes.map((change) => canonical(change.after));
    const befores = updates.map((change) => canonical(change.before!));
    expect(new Set(befores).size).toBe(befores.length);
    for (const before of befores) expect(afters).toContain(before);
  });

  it('lets one of concurrent creates of the same id or relationship succeed, and answers CONFLICT to the others', async () => {
    const id = 'person:mut-race-create';
    const creates = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => t.graphql(CREATE, { kind: 'PERSON', input: { id, name: `Race Create ${i}`, sources: [SOURCE] } }, { key: investigator.key })),
    );
    expect(creates.filter((answer) => answer.errors === undefined)).toHaveLength(1);
    expect(creates.filter((answer) => answer.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(5);
    const winner = creates.findIndex((answer) => answer.errors === undefined);
    expect(await t.cypher('MATCH (p:Person {id: $id}) RETURN p.name AS name', { id })).toEqual([{ name: `Race Create ${winner}` }]);
    expect(await t.cypher('MATCH (c:Change) WHERE $id IN c.entityIds RETURN count(c) AS n', { id })).toEqual([{ n: 1 }]);

    const input = { type: 'ASSOCIATE_OF', from: id, to: 'person:demo-broker-bravo', sources: [SOURCE] };
    const links = await Promise.all([0, 1, 2, 3].map(() => t.graphql(`mutation($input: JSON!) { createRelationship(input: $input) { operation } }`, { input }, { key: investigator.key })));
    expect(links.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    expect(await t.cypher('MATCH (:Person {id: $id})-[r:ASSOCIATE_OF]->() RETURN count(r) AS n', { id })).toEqual([{ n: 1 }]);
  });

  it('creates, updates and retires a relationship', async () => {
    const id = 'person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|mut';
    const input = { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-bravo', key: 'mut', start: '2022', sources: [SOURCE] };
    const RELATIONS = '{ node(id: "person:demo-broker-alpha") { ... on Person { relations(types: [ASSOCIATE_OF]) { id start position } } } }';
    const created = await t.graphql(`mutation($input: JSON!) { createRelationship(input: $input) { operation entityIds } }`, { input }, { key: investigator.key });
    expect(created.data!.createRelationship).toEqual({ operation: 'CREATE_RELATIONSHIP', entityIds: [id, input.from, input.to] });
    const again = await t.graphql(`mutation($input: JSON!) { createRelationship(input: $input) { operation } }`, { input }, { key: investigator.key });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const updated = await t.graphql(
      `mutation($id: ID!, $patch: JSON!) { updateRelationship(id: $id, patch: $patch) { before after } }`,
      { id, patch: { position: 'go-between' } },
      { key: investigator.key },
    );
    expect(updated.errors).toBeUndefined();
    const relations = (await t.graphql(RELATIONS, {}, { key: investigator.key })).data!.node.relations as { id: string }[];
    expect(relations.filter((r) => r.id === id)).toEqual([{ id, start: '2022', position: 'go-between' }]);
    const retired = await t.graphql(`mutation($id: ID!) { retireRelationship(id: $id) { operation } }`, { id }, { key: investigator.key });
    expect(retired.data!.retireRelationship).toEqual({ operation: 'RETIRE_RELATIONSHIP' });
    const after = (await t.graphql(RELATIONS, {}, { key: investigator.key })).data!.node.relations as { id: string }[];
    expect(after.filter((r) => r.id === id)).toEqual([]);
    const [stored] = await t.cypher('MATCH ()-[r:ASSOCIATE_OF {id: $id}]->() RETURN r.retiredBy AS by', { id });
    expect(stored).toEqual({ by: investigator.id });
  });

  it('leaves retired entities and relationships out of network slices and exports', async () => {
    const SLICE = `query($ids: [ID!]!) { network(ids: $ids, depth: 1) { nodes { id } edges { id } } }`;
    const ids = ['compound:demo-riverbend-park'];
    const before = (await t.graphql(SLICE, { ids }, { key: investigator.key })).data!.network;
    const [row] = await t.cypher<{ relId: string }>(
      "MATCH (:Compound {id: 'compound:demo-riverbend-park'})-[r:WORKS_AT]-(:Person) WHERE r.retiredAt IS NULL RETURN r.id AS relId ORDER BY r.id LIMIT 1",
    );
    const relId = row!.relId;
    expect(before.edges.map((e: { id: string }) => e.id)).toContain(relId);
    await t.graphql(`mutation($id: ID!) { retireRelationship(id: $id) { operation } }`, { id: relId }, { key: investigator.key });
    const withoutEdge = (await t.graphql(SLICE, { ids }, { key: investigator.key })).data!.network;
    expect(withoutEdge.edges.map((e: { id: string }) => e.id)).not.toContain(relId);
    expect(withoutEdge.edges).toHaveLength(before.edges.length - 1);

    const operator = 'organisation:demo-bluewater-holdings';
    expect(withoutEdge.nodes.map((n: { id: string }) => n.id)).toContain(operator);
    await t.graphql(RETIRE, { id: operator, reason: 'test' }, { key: investigator.key });
    const withoutNode = (await t.graphql(SLICE, { ids }, { key: investigator.key })).data!.network;
    expect(withoutNode.nodes.map((n: { id: string }) => n.id)).not.toContain(operator);
    const exported = await fetch(`${t.url}/export/network?ids=${ids[0]}&format=cytoscape`, { headers: { authorization: `Bearer ${investigator.key}` } });
    expect(await exported.text()).not.toContain(operator);
  });

  it('walks a network around retired entities and relationships, and counts only what it shows toward the limit', async () => {
    // A small fictional web: hub - bridge - beyond; hub - 3, hub - 4 - 5.
    const id = (n: number) => `person:mut-net-${n}`;
    for (const n of [0, 1, 2, 3, 4, 5]) {
      const created = await t.graphql(CREATE, { kind: 'PERSON', input: { id: id(n), name: `Net Demo ${n}`, roles: ['broker'], sources: [SOURCE] } }, { key: investigator.key });
      expect(created.errors).toBeUndefined();
    }
    const link = async (from: number, to: number) => {
      const input = { type: 'ASSOCIATE_OF', from: id(from), to: id(to), key: 'net', sources: [SOURCE] };
      const created = await t.graphql(`mutation($input: JSON!) { createRelationship(input: $input) { entityIds } }`, { input }, { key: investigator.key });
      expect(created.errors).toBeUndefined();
      return created.data!.createRelationship.entityIds[0] as string;
    };
    await link(0, 1);
    await link(1, 2);
    await link(0, 3);
    await link(0, 4);
    const fourToFive = await link(4, 5);
    const NETWORK = `query($ids: [ID!]!, $depth: Int!, $limit: Int) {
      network(ids: $ids, depth: $depth, limit: $limit, relationTypes: [ASSOCIATE_OF]) { nodes { id } truncated } }`;
    const network = async (depth: number, limit?: number) => {
      const res = await t.graphql(NETWORK, { ids: [id(0)], depth, limit }, { key: investigator.key });
      expect(res.errors).toBeUndefined();
      const slice = res.data!.network as { nodes: { id: string }[]; truncated: boolean };
      return { ids: slice.nodes.map((n) => n.id).sort(), truncated: slice.truncated };
    };
    expect(await network(2)).toEqual({ ids: [0, 1, 2, 3, 4, 5].map(id), truncated: false });

    await t.graphql(RETIRE, { id: id(1), reason: 'test' }, { key: investigator.key });
    await t.graphql(`mutation($id: ID!) { retireRelationship(id: $id) { operation } }`, { id: fourToFive }, { key: investigator.key });
    // Nothing is reached through the retired person or the retired relationship.
    expect(await network(2)).toEqual({ ids: [0, 3, 4].map(id), truncated: false });
    // Nearest first, then by id: the retired person (1) would have come second, and takes no place in the limit.
    expect(await network(1, 2)).toEqual({ ids: [0, 3].map(id), truncated: true });
    expect(await network(1, 3)).toEqual({ ids: [0, 3, 4].map(id), truncated: false });
  });

  it('leaves retired events out of the insight aggregations (corridors, repeated sales, raids)', async () => {
    const INSIGHTS = `{ transferCorridors { from { id } to { id } count transfers { id } }
      repeatedlySoldVictims(minTransfers: 1) { victim { id } transferCount transfers { id } }
      raidedCompounds(status: [OPERATING, RAIDED, CLOSED, RELOCATED, UNKNOWN]) { compound { id } raids { id } } }`;
    type Insights = {
      transferCorridors: { from: { id: string }; to: { id: string }; count: number; transfers: { id: string }[] }[];
      repeatedlySoldVictims: { victim: { id: string }; transferCount: number; transfers: { id: string }[] }[];
      raidedCompounds: { compound: { id: string }; raids: { id: string }[] }[];
    };
    const read = async () => {
      const res = await t.graphql<Insights>(INSIGHTS, {}, { key: investigator.key });
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    const before = await read();
    const corridor = before.transferCorridors.find((c) => c.count >= 2)!;
    const transfer = corridor.transfers[0]!.id;
    const raided = before.raidedCompounds.find((c) => c.raids.length >= 1)!;
    const raid = raided.raids[0]!.id;
    const soldBefore = before.repeatedlySoldVictims.find((v) => v.transfers.some((e) => e.id === transfer))!;
    expect(soldBefore).toBeDefined();
    for (const id of [transfer, raid]) expect((await t.graphql(RETIRE, { id, reason: 'test' }, { key: investigator.key })).errors).toBeUndefined();

    const after = await read();
    const sameCorridor = after.transferCorridors.find((c) => c.from.id === corridor.from.id && c.to.id === corridor.to.id)!;
    expect(sameCorridor.count).toBe(corridor.count - 1);
    expect(after.transferCorridors.flatMap((c) => c.transfers.map((e) => e.id))).not.toContain(transfer);
    const soldAfter = after.repeatedlySoldVictims.find((v) => v.victim.id === soldBefore.victim.id);
    expect(soldAfter?.transferCount ?? 0).toBe(soldBefore.transferCount - 1);
    expect(after.raidedCompounds.flatMap((c) => c.raids.map((e) => e.id))).not.toContain(raid);
    const raidedAfter = after.raidedCompounds.find((c) => c.compound.id === raided.compound.id);
    expect(raidedAfter?.raids.length ?? 0).toBe(raided.raids.length - 1);
  });

  it('leaves retired entities out of paths, timelines and custody chains', async () => {
    const PATHS = `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 3, first: 5) { hops { to { id } } } }`;
    const pathIds = async () =>
      ((await t.graphql(PATHS, { from: 'person:demo-broker-bravo', to: 'organisation:demo-northern-hills-militia' }, { key: investigator.key })).data!
        .paths as { hops: { to: { id: string } }[] }[]).map((p) => p.hops.map((h) => h.to.id));
    // The compound the first path runs through (earlier tests in this file may have retired other links).
    const via = (await pathIds()).flat().find((id) => id.startsWith('compound:'));
    expect(via).toMatch(/^compound:demo-/);
    const TRACE = `query($id: ID!) { traceVictim(id: $id) { steps { event { id } } } }`;
    const steps = async () =>
      ((await t.graphql(TRACE, { id: 'person:demo-victim-0001' }, { key: investigator.key })).data!.traceVictim.steps as { event: { id: string } }[]).map(
        (s) => s.event.id,
      );
    const stepsBefore = await steps();
    const escape = stepsBefore[stepsBefore.length - 1]!;
    await t.graphql(RETIRE, { id: escape, reason: 'test' }, { key: investigator.key });
    expect(await steps()).toEqual(stepsBefore.slice(0, -1));
    const TIMELINE = `query($ids: [ID!]) { timeline(ids: $ids) { id } }`;
    const timeline = (await t.graphql(TIMELINE, { ids: ['person:demo-victim-0001'] }, { key: investigator.key })).data!.timeline as { id: string }[];
    expect(timeline.map((e) => e.id)).not.toContain(escape);
    // An entity's events leave it out too, read level by level (node) and fetched ahead by a list (persons).
    const EVENTS = `{ node(id: "person:demo-victim-0001") { ... on Person { events { event { id } } } }
      persons(filter: { dataset: [DEMO] }) { nodes { id events { event { id } } } } }`;
    const answer = await t.graphql<any>(EVENTS, {}, { key: investigator.key });
    expect(answer.errors).toBeUndefined();
    const events = answer.data;
    const victim = events.persons.nodes.find((p: { id: string }) => p.id === 'person:demo-victim-0001');
    expect(events.node.events.length).toBeGreaterThan(0);
    expect(victim.events).toEqual(events.node.events);
    expect(victim.events.map((p: { event: { id: string } }) => p.event.id)).not.toContain(escape);
    await t.graphql(RETIRE, { id: via, reason: 'test' }, { key: investigator.key });
    expect((await pathIds()).flat()).not.toContain(via);
  });

  it('leaves retired participants and compounds out of custody chains, projected or whole', async () => {
    type Ref = { id: string } | null;
    type Step = { compound: Ref; fromCompound: Ref; toCompound: Ref; sellers: Ref[]; buyers: Ref[]; brokers: Ref[]; sources: Ref[] };
    // `name` alone is projected (src/trace/chainProjection.ts); `location` is not in the projection table, so it reads whole nodes.
    const chain = async (extra: string) => {
      const answer = await t.graphql<{ traceVictim: { steps: Step[]; heldAt: Ref } }>(
        `query($id: ID!) { traceVictim(id: $id) { heldAt { id }
          steps { compound { id name ${extra} } fromCompound { id name } toCompound { id name } sellers { id } buyers { id } brokers { id } sources { id } } } }`,
        { id: 'person:demo-victim-0002' },
        { key: investigator.key },
      );
      expect(answer.errors).toBeUndefined();
      return answer.data!.traceVictim;
    };
    const COMPOUNDS = ['compound', 'fromCompound', 'toCompound'] as const;
    const PEOPLE = ['sellers', 'buyers', 'brokers'] as const;
    const ids = (steps: Step[], fields: readonly (keyof Step)[]) =>
      steps.flatMap((step) => fields.flatMap((field) => [step[field]].flat().flatMap((ref) => (ref ? [ref.id] : []))));
    const before = await chain('');
    const whole = await chain('location { latitude }');
    for (const fields of [COMPOUNDS, PEOPLE, ['sources'] as const]) expect(ids(whole.steps, fields)).toEqual(ids(before.steps, fields));
    const compound = ids(before.steps, COMPOUNDS)[0]!;
    const person = ids(before.steps, PEOPLE)[0]!;
    expect([compound, person]).toEqual([expect.stringMatching(/^compound:/), expect.stringMatching(/^(person|organisation):/)]);
    for (const id of [compound, person]) expect((await t.graphql(RETIRE, { id, reason: 'test' }, { key: investigator.key })).errors).toBeUndefined();

    for (const extra of ['', 'location { latitude }']) {
      const after = await chain(extra);
      expect(after.steps).toHaveLength(before.steps.length);
      expect(ids(after.steps, COMPOUNDS)).not.toContain(compound);
      expect(ids(after.steps, PEOPLE)).not.toContain(person);
      // Everything else is as it was.
      expect(ids(after.steps, COMPOUNDS)).toEqual(ids(before.steps, COMPOUNDS).filter((id) => id !== compound));
      expect(ids(after.steps, PEOPLE)).toEqual(ids(before.steps, PEOPLE).filter((id) => id !== person));
      expect(ids(after.steps, ['sources'])).toEqual(ids(before.steps, ['sources']));
    }
  });
});

describe('importRecords mutation', () => {
  const IMPORT = 'mutation($records: JSON!, $source: ID) { importRecords(records: $records, source: $source) { written change { operation entityIds } } }';

  it('imports a small batch, citing the default source', async () => {
    const records = [
      { type: 'organisation', id: 'organisation:mut-imp', name: 'Mut Imp Ltd', kind: 'company' },
      { type: 'person', id: 'person:mut-imp', name: 'Imp Person', roles: ['broker'] },
      { type: 'relationship', relation: 'EMPLOYED_BY', from: 'person:mut-imp', to: 'organisation:mut-imp' },
    ];
    const res = await t.graphql(IMPORT, { records, source: SOURCE }, { key: investigator.key });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importRecords).toEqual({
      written: { source: 0, person: 1, organisation: 1, compound: 0, event: 0, relationship: 1, claim: 0 },
      change: { operation: 'IMPORT', entityIds: ['person:mut-imp', 'organisation:mut-imp', 'person:mut-imp|EMPLOYED_BY|organisation:mut-imp'] },
    });
    const [row] = await t.cypher(
      'MATCH (p:Person {id: "person:mut-imp"})-[:EMPLOYED_BY]->(o:Organisation)-[:SOURCED_BY]->(s:Source) RETURN p.sources AS sources, o.id AS org, s.id AS source',
    );
    expect(row).toEqual({ sources: [SOURCE], org: 'organisation:mut-imp', source: SOURCE });
  });

  it('refuses an empty batch, which would only log an empty change', async () => {
    const res = await t.graphql(IMPORT, { records: [] }, { key: investigator.key });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'records' });
  });

  it('is all-or-nothing: one bad record rejects the batch, naming the record and field', async () => {
    const before = await counts();
    const records = [
      { type: 'person', id: 'person:mut-ok', name: 'Fine Person', sources: [SOURCE] },
      { type: 'person', id: 'person:mut-bad', name: 'Bad Date', birthDate: '19xx', sources: [SOURCE] },
    ];
    const res = await t.graphql(IMPORT, { records }, { key: investigator.key });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'records[1].birthDate' });
    expect(await counts()).toEqual(before);
  });
});

describe('importRecords over stored records', () => {
  const IMPORT = 'mutation($records: JSON!) { importRecords(records: $records) { change { operation before } } }';

  it('keeps what it writes over in the change, and leaves a retired entity retired', async () => {
    const id = 'person:mut-overwrite';
    await t.graphql(CREATE, { kind: 'PERSON', input: { id, name: 'Over Write', aliases: ['O.W.'], birthDate: '1970', sources: [SOURCE] } }, { key: investigator.key });
    const res = await t.graphql(IMPORT, { records: [{ type: 'person', id, name: 'Over Written', sources: [SOURCE] }] }, { key: investigator.key });
    expect(res.errors).toBeUndefined();
    const before = res.data!.importRecords.change.before as Record<string, Record<string, unknown>>;
    expect(Object.keys(before)).toEqual([id]);
    expect(before[id]).toMatchObject({ name: 'Over Write', aliases: ['O.W.'], birthDate: '1970' });
    // Nothing stored before: no `before`.
    const fresh = await t.graphql(IMPORT, { records: [{ type: 'person', id: 'person:mut-overwrite-new', name: 'New One', sources: [SOURCE] }] }, { key: investigator.key });
    expect(fresh.data!.importRecords.change.before).toBeNull();

    expect((await t.graphql(RETIRE, { id, reason: 'duplicate' }, { key: investigator.key })).errors).toBeUndefined();
    expect((await t.graphql(IMPORT, { records: [{ type: 'person', id, name: 'Over Written Again', sources: [SOURCE] }] }, { key: investigator.key })).errors).toBeUndefined();
    expect(await t.cypher('MATCH (p:Person {id: $id}) RETURN p.name AS name, p.retiredBy AS by', { id })).toEqual([{ name: 'Over Written Again', by: investigator.id }]);
    expect((await t.graphql(`{ node(id: "${id}") { id } }`, {}, { key: investigator.key })).data).toEqual({ node: null });
  });

  it('moves a claim written again with another subject to that subject alone', async () => {
    const claim = { type: 'claim', id: 'claim:mut-moving', subject: 'person:demo-broker-alpha', property: 'nationality', value: 'kh', sources: [SOURCE] };
    expect((await t.graphql(IMPORT, { records: [claim] }, { key: investigator.key })).errors).toBeUndefined();
    expect((await t.graphql(IMPORT, { records: [{ ...claim, subject: 'person:demo-broker-bravo' }] }, { key: investigator.key })).errors).toBeUndefined();
    expect(await t.cypher('MATCH (:Claim {id: "claim:mut-moving"})-[:ABOUT]->(s) RETURN s.id AS subject')).toEqual([{ subject: 'person:demo-broker-bravo' }]);
  });

  it('refuses a record with the id of an entity merged into another, naming it, and the merge can still be undone', async () => {
    const keep = 'organisation:mut-keep';
    const gone = 'organisation:mut-gone';
    for (const id of [keep, gone]) {
      await t.graphql(CREATE, { kind: 'ORGANISATION', input: { id, name: `Merge ${id}`, kind: 'company', sources: [SOURCE] } }, { key: investigator.key });
    }
    const merged = await t.graphql(`mutation { merge(keep: "${keep}", merge: "${gone}", reason: "same firm") { id } }`, {}, { key: investigator.key });
    expect(merged.errors).toBeUndefined();
    const before = await counts();
    const res = await t.graphql(IMPORT, { records: [{ type: 'organisation', id: gone, name: 'Reborn', kind: 'company', sources: [SOURCE] }] }, { key: investigator.key });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'records[0].id' });
    expect(res.errors?.[0]?.message).toContain(`${gone} was merged into ${keep}`);
    expect(await counts()).toEqual(before);
    await expect(loadDataset({ organisations: [{ id: gone, name: 'Reborn', kind: 'company', sources: [SOURCE] }] }, t.executor)).rejects.toThrow(`was merged into ${keep}`);
    const undone = await t.graphql(`mutation { unmerge(mergeId: "${merged.data!.merge.id}") { active } }`, {}, { key: investigator.key });
    expect(undone.errors).toBeUndefined();
    expect((await t.graphql(`{ node(id: "${gone}") { id } }`, {}, { key: investigator.key })).data).toEqual({ node: { id: gone } });
  });

  it('checks references again in the write transaction: a merge or retirement committed after validation refuses the write, which writes nothing', async () => {
    const keep = 'organisation:mut-race-keep';
    const gone = 'organisation:mut-race-gone';
    const retired = 'compound:mut-race-retired';
    await loadDataset(
      {
        organisations: [keep, gone].map((id) => ({ id, name: `Race ${id}`, kind: 'company', sources: [SOURCE] })),
        compounds: [{ id: retired, name: 'Race Park', country: 'kh', sources: [SOURCE] }],
      },
      t.executor,
    );
    const person = { id: 'person:mut-race', name: 'Race Person', roles: ['guard'], sources: [SOURCE] };
    const doc = await validateDataset(
      {
        persons: [person],
        relationships: [
          { type: 'MEMBER_OF', from: person.id, to: gone, sources: [SOURCE] },
          { type: 'WORKS_AT', from: person.id, to: retired, sources: [SOURCE] },
        ],
      },
      t.executor,
    );
    // Between the validation and the write, another caller merges one end away and retires the other.
    expect((await t.graphql(`mutation { merge(keep: "${keep}", merge: "${gone}", reason: "same firm") { id } }`, {}, { key: investigator.key })).errors).toBeUndefined();
    expect((await t.graphql(RETIRE, { id: retired, reason: 'closed' }, { key: investigator.key })).errors).toBeUndefined();
    const before = await counts();
    await expect(t.executor.writeTransaction((run) => writeDataset(doc, run))).rejects.toMatchObject({
      issues: [
        { path: 'relationships[0].to', message: `${gone} was merged into ${keep}: refer to ${keep}` },
        { path: 'relationships[1].to', message: `${retired} is retired` },
      ],
    });
    expect(await counts()).toEqual(before);
  });
});

describe('fields a record type does not have', () => {
  it('are refused by name in createEntity, createRelationship and importRecords, writing nothing', async () => {
    const before = await counts();
    const cases: [string, Record<string, unknown>, string][] = [
      [CREATE, { kind: 'PERSON', input: { id: 'person:mut-typo', name: 'Typo Person', birthdate: '1980-01-01', sources: [SOURCE] } }, 'input.birthdate'],
      [
        'mutation($input: JSON!) { createRelationship(input: $input) { operation } }',
        { input: { type: 'OWNS', from: 'person:demo-boss-golf', to: 'organisation:demo-red-crane-network', share: '50%', sources: [SOURCE] } },
        'input.share',
      ],
      [
        'mutation($records: JSON!) { importRecords(records: $records) { change { operation } } }',
        { records: [{ type: 'person', id: 'person:mut-typo', name: 'Typo Person', sources: [SOURCE] }, { type: 'organisation', id: 'organisation:mut-typo', name: 'Typo Org', kind: 'company', nickname: 'T', sources: [SOURCE] }] },
        'records[1].nickname',
      ],
    ];
    for (const [mutation, variables, argument] of cases) {
      const res = await t.graphql(mutation, variables, { key: investigator.key });
      expect([argument, res.errors?.[0]?.extensions]).toEqual([argument, { code: 'BAD_USER_INPUT', argument }]);
      expect(res.errors?.[0]?.message).toBe(`${argument}: is not a field of this record type`);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('links to retired entities', () => {
  it('are refused, naming the field, in new relationships and event participants; nothing is written', async () => {
    const id = 'person:mut-retired-end';
    await t.graphql(CREATE, { kind: 'PERSON', input: { id, name: 'Retired End', sources: [SOURCE] } }, { key: investigator.key });
    expect((await t.graphql(RETIRE, { id, reason: 'duplicate' }, { key: investigator.key })).errors).toBeUndefined();
    const before = await counts();
    const link = await t.graphql(
      'mutation($input: JSON!) { createRelationship(input: $input) { operation } }',
      { input: { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: id, sources: [SOURCE] } },
      { key: investigator.key },
    );
    expect(link.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.to' });
    expect(link.errors?.[0]?.message).toBe(`input.to: ${id} is retired`);
    const event = await t.graphql(
      CREATE,
      { kind: 'EVENT', input: { id: 'event:mut-retired-end', kind: 'arrest', title: 'Arrest (test)', participants: [{ id, role: 'subject' }], sources: [SOURCE] } },
      { key: investigator.key },
    );
    expect(event.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.participants[0].id' });
    expect(await counts()).toEqual(before);
  });

  it('do not block an edit of an event or relationship that had the link before its end was retired; a new link still is refused', async () => {
    const id = 'person:mut-retired-later';
    const eventId = 'event:mut-retired-later';
    await t.graphql(CREATE, { kind: 'PERSON', input: { id, name: 'Retired Later', sources: [SOURCE] } }, { key: investigator.key });
    const created = await t.graphql(
      CREATE,
      { kind: 'EVENT', input: { id: eventId, kind: 'arrest', title: 'Arest (test)', participants: [{ id, role: 'subject' }], sources: [SOURCE] } },
      { key: investigator.key },
    );
    expect(created.errors).toBeUndefined();
    const rel = await t.graphql(
      'mutation($input: JSON!) { createRelationship(input: $input) { operation } }',
      { input: { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: id, sources: [SOURCE] } },
      { key: investigator.key },
    );
    expect(rel.errors).toBeUndefined();
    const otherEvent = 'event:mut-retired-later-other';
    const other0 = await t.graphql(CREATE, { kind: 'EVENT', input: { id: otherEvent, kind: 'raid', title: 'Raid (test)', sources: [SOURCE] } }, { key: investigator.key });
    expect(other0.errors).toBeUndefined();
    expect((await t.graphql(RETIRE, { id, reason: 'duplicate' }, { key: investigator.key })).errors).toBeUndefined();
    // The typo in the title is fixed; the retired participant stays linked (and hidden from every answer).
    const fixed = await t.graphql(UPDATE, { id: eventId, patch: { title: 'Arrest (test)' } }, { key: investigator.key });
    expect(fixed.errors).toBeUndefined();
    const [linked] = await t.cypher('MATCH (e:Event {id: $eventId}) RETURN e.title AS title, [(e)-[:INVOLVES]->(p) | p.id] AS participants', { eventId });
    expect(linked).toEqual({ title: 'Arrest (test)', participants: [id] });
    const dated = await t.graphql(
      'mutation($id: ID!) { updateRelationship(id: $id, patch: { start: "2024" }) { operation } }',
      { id: `person:demo-broker-alpha|ASSOCIATE_OF|${id}` },
      { key: investigator.key },
    );
    expect(dated.errors).toBeUndefined();
    // Adding the retired person to another event is still refused.
    const other = await t.graphql(UPDATE, { id: otherEvent, patch: { participants: [{ id, role: 'subject' }] } }, { key: investigator.key });
    expect(other.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'patch.participants[0].id' });
  });
});

describe('victim ids must be opaque', () => {
  const victim = { id: 'person:victim-anong-k', name: 'Anong Kaew', roles: ['victim'], sources: [SOURCE] };

  it('rejects a victim whose id contains a name token, in createEntity, importRecords and loadDataset', async () => {
    const before = await counts();
    const created = await t.graphql(CREATE, { kind: 'PERSON', input: victim }, { key: investigator.key });
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.id' });
    const aliased = await t.graphql(
      CREATE,
      { kind: 'PERSON', input: { ...victim, id: 'person:v-0042-kaewmala', name: 'Someone', aliases: ['Kaewmala'] } },
      { key: investigator.key },
    );
    expect(aliased.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.id' });
    const imported = await t.graphql(
      'mutation($records: JSON!) { importRecords(records: $records) { written } }',
      { records: [{ type: 'person', ...victim }] },
      { key: investigator.key },
    );
    expect(imported.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'records[0].id' });
    const loaded = loadDataset({ persons: [victim] }, t.executor);
    await expect(loaded).rejects.toBeInstanceOf(DatasetValidationError);
    await expect(loaded).rejects.toMatchObject({ issues: [{ path: 'persons[0].id', message: expect.stringContaining('opaque') }] });
    expect(await counts()).toEqual(before);
  });

  it('accepts an opaque victim id, and the same name on a non-victim', async () => {
    const ok = await t.graphql(CREATE, { kind: 'PERSON', input: { ...victim, id: 'person:v-7f3a9' } }, { key: investigator.key });
    expect(ok.errors).toBeUndefined();
    const notVictim = await t.graphql(CREATE, { kind: 'PERSON', input: { ...victim, roles: ['witness'] } }, { key: investigator.key });
    expect(notVictim.errors).toBeUndefined();
  });
});

describe('the dataset rules hold on every write path', () => {
  const IMPORT = 'mutation($records: JSON!) { importRecords(records: $records) { written } }';
  const CREATE_REL = 'mutation($input: JSON!) { createRelationship(input: $input) { operation } }';
  const UPDATE_REL = 'mutation($id: ID!, $patch: JSON!) { updateRelationship(id: $id, patch: $patch) { operation } }';
  /** Expects BAD_USER_INPUT naming `argument`, in the extensions and the message. */
  const refused = (res: { errors?: { message: string; extensions?: Record<string, unknown> }[] }, argument: string, message: string): void => {
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(res.errors?.[0]?.message).toContain(`${argument}: ${message}`);
  };

  it('refuses a name longer than the name index takes, and writes one of the longest length', async () => {
    const before = await counts();
    const long = '陳'.repeat(1001);
    refused(await t.graphql(CREATE, { kind: 'PERSON', input: { id: 'person:mut-long', name: long, sources: [SOURCE] } }, { key: investigator.key }), 'input.name', 'must be at most 1000 characters');
    const records = [
      { type: 'person', id: 'person:mut-long-a', name: 'Fine A', sources: [SOURCE] },
      { type: 'person', id: 'person:mut-long-b', name: 'Fine B', sources: [SOURCE] },
      { type: 'organisation', id: 'organisation:mut-long', name: long, kind: 'company', sources: [SOURCE] },
    ];
    refused(await t.graphql(IMPORT, { records }, { key: investigator.key }), 'records[2].name', 'must be at most 1000 characters');
    refused(await t.graphql(UPDATE, { id: 'person:demo-broker-alpha', patch: { name: long } }, { key: investigator.key }), 'patch.name', 'must be at most 1000 characters');
    expect(await counts()).toEqual(before);
    // 1000 characters of three bytes each: the worst case in UTF-8 fits the range index on name.
    const longest = '陳'.repeat(1000);
    const created = await t.graphql(CREATE, { kind: 'COMPOUND', input: { id: 'compound:mut-longest', name: longest, sources: [SOURCE] } }, { key: investigator.key });
    expect(created.errors).toBeUndefined();
    expect(await t.cypher('MATCH (c:Compound {id: "compound:mut-longest"}) RETURN size(c.name) AS n')).toEqual([{ n: 1000 }]);
  });

  it('refuses a source URL that is not http or https', async () => {
    const before = await counts();
    const records = [{ type: 'source', id: 'source:mut-js', title: 'Script', url: 'javascript:alert(1)', reliability: 'F', kind: 'news' }];
    refused(await t.graphql(IMPORT, { records }, { key: investigator.key }), 'records[0].url', 'must be an http or https URL');
    expect(await counts()).toEqual(before);
    const ok = await t.graphql(IMPORT, { records: [{ ...records[0], url: 'https://example.org/report' }] }, { key: investigator.key });
    expect(ok.errors).toBeUndefined();
  });

  it('takes latitude and longitude together: refuses one alone and clearing one, keeping the stored location', async () => {
    const id = 'compound:mut-located';
    const before = await counts();
    refused(
      await t.graphql(CREATE, { kind: 'COMPOUND', input: { id, name: 'Located', latitude: 11.5, sources: [SOURCE] } }, { key: investigator.key }),
      'input.longitude',
      'is missing while latitude is given',
    );
    refused(
      await t.graphql(IMPORT, { records: [{ type: 'compound', id, name: 'Located', longitude: 104.9, sources: [SOURCE] }] }, { key: investigator.key }),
      'records[0].latitude',
      'is missing while longitude is given',
    );
    expect(await counts()).toEqual(before);
    const created = await t.graphql(CREATE, { kind: 'COMPOUND', input: { id, name: 'Located', latitude: 11.5, longitude: 104.9, sources: [SOURCE] } }, { key: investigator.key });
    expect(created.errors).toBeUndefined();
    const stored = 'MATCH (c:Compound {id: $id}) RETURN c.location.y AS latitude, c.location.x AS longitude';
    expect(await t.cypher(stored, { id })).toEqual([{ latitude: 11.5, longitude: 104.9 }]);
    const changes = await t.cypher('MATCH (c:Change) RETURN count(c) AS n');
    refused(await t.graphql(UPDATE, { id, patch: { latitude: null } }, { key: investigator.key }), 'patch.latitude', 'is missing while longitude is given');
    expect(await t.cypher(stored, { id })).toEqual([{ latitude: 11.5, longitude: 104.9 }]);
    expect(await t.cypher('MATCH (c:Change) RETURN count(c) AS n')).toEqual(changes);
    const cleared = await t.graphql(UPDATE, { id, patch: { latitude: null, longitude: null } }, { key: investigator.key });
    expect(cleared.errors).toBeUndefined();
    expect(await t.cypher(stored, { id })).toEqual([{ latitude: null, longitude: null }]);
  });

  it('refuses an event or relationship whose end lies wholly before its start; a partial date that overlaps is fine', async () => {
    const before = await counts();
    const event = { id: 'event:mut-dated', kind: 'investigation', title: 'Dated (test)', sources: [SOURCE] };
    refused(
      await t.graphql(CREATE, { kind: 'EVENT', input: { ...event, date: '2025', endDate: '2020' } }, { key: investigator.key }),
      'input.endDate',
      "2020 ends before the event's date 2025 begins",
    );
    const rel = { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-bravo', key: 'mut-dated', sources: [SOURCE] };
    refused(await t.graphql(CREATE_REL, { input: { ...rel, start: '2025', end: '2020' } }, { key: investigator.key }), 'input.end', "2020 ends before the relationship's start 2025 begins");
    expect(await counts()).toEqual(before);
    expect((await t.graphql(CREATE, { kind: 'EVENT', input: { ...event, date: '2024-05', endDate: '2024-05-14' } }, { key: investigator.key })).errors).toBeUndefined();
    expect((await t.graphql(CREATE_REL, { input: { ...rel, start: '2023', end: '2023-12' } }, { key: investigator.key })).errors).toBeUndefined();
    const after = await counts();
    refused(await t.graphql(UPDATE, { id: event.id, patch: { endDate: '2024-04-30' } }, { key: investigator.key }), 'patch.endDate', "2024-04-30 ends before the event's date 2024-05 begins");
    refused(
      await t.graphql(UPDATE_REL, { id: 'person:demo-broker-alpha|ASSOCIATE_OF|person:demo-broker-bravo|mut-dated', patch: { end: '2022' } }, { key: investigator.key }),
      'patch.end',
      "2022 ends before the relationship's start 2023 begins",
    );
    expect(await counts()).toEqual(after);
  });

  it('refuses a relationship between kinds its type does not join, and one from an entity to itself', async () => {
    const before = await counts();
    const leads = { type: 'LEADS', from: 'compound:demo-jade-harbour', to: 'person:demo-broker-alpha', sources: [SOURCE] };
    const wrongKinds = await t.graphql(CREATE_REL, { input: leads }, { key: investigator.key });
    refused(wrongKinds, 'input.from', 'LEADS must go from a person, not a compound');
    expect(wrongKinds.errors?.[0]?.message).toContain('input.to: LEADS must go to an organisation, not a person');
    refused(
      await t.graphql(CREATE_REL, { input: { type: 'ASSOCIATE_OF', from: 'person:demo-broker-alpha', to: 'person:demo-broker-alpha', sources: [SOURCE] } }, { key: investigator.key }),
      'input.to',
      'is the same as from',
    );
    const records = [
      { type: 'person', id: 'person:mut-guard', name: 'Guard (test)', roles: ['guard'], sources: [SOURCE] },
      { type: 'relationship', relation: 'WORKS_AT', from: 'organisation:demo-bluewater-security', to: 'compound:demo-jade-harbour', sources: [SOURCE] },
    ];
    refused(await t.graphql(IMPORT, { records }, { key: investigator.key }), 'records[1].from', 'WORKS_AT must go from a person, not an organisation');
    expect(await counts()).toEqual(before);
  });
});

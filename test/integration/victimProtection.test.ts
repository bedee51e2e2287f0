import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { createSchema } from '../../src/schema';
import { pseudonymFor } from '../../src/person/pseudonym';

interface DemoPerson {
  id: string;
  name: string;
  aliases: string[];
  roles: string[];
  birthDate: string | null;
  description: string | null;
}

const demo = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../seed/demo/demo.json'), 'utf8')) as { persons: DemoPerson[] };
const victims = demo.persons.filter((p) => p.roles.includes('victim'));
const victimIds = victims.map((v) => v.id);
/** Words of a victim's name and aliases that identify them: "Quillfeather", "Anong", "Nong", ... */
const identifyingWords = (v: DemoPerson) =>
  [v.name, ...v.aliases]
    .flatMap((s) => s.split(/[^\p{L}]+/u))
    .filter((w) => w.length >= 3 && !['Demo', 'Victim', 'pseudonym', 'demo', 'alias'].includes(w));
const SURNAMES = victims.map((v) => v.name.split(' ')[3]!);
/** Whole protected values; none may ever appear in an answer to a journalist or the public. */
const PROTECTED = victims.flatMap((v) => [v.name, ...v.aliases, v.birthDate!, v.description!]);
const WORDS = [...new Set(victims.flatMap(identifyingWords))];

type Role = 'investigator' | 'journalist' | 'public';

// The walk sends a few hundred generated queries; on a shared machine that takes minutes.
jest.setTimeout(180_000);

describe('victim protection on the demo dataset', () => {
  let t: TestServer;
  const keys: Record<string, string | undefined> = {};
  let pseudonyms: string[];
  let schema: GraphQLSchema;

  beforeAll(async () => {
    t = await startTestServer({
      datasets: ['demo'],
      // The walk sends large generated queries: the request limits are not under test here.
      env: { TG_MAX_DEPTH: '100', TG_MAX_COST: '100000000', TG_MAX_TOKENS: '1000000', TG_MAX_ALIASES: '100000', TG_BODY_LIMIT: '10mb' },
    });
    for (const role of ['admin', 'investigator', 'journalist'] as const) keys[role] = await t.keyFor(role);
    pseudonyms = victimIds.map((id) => pseudonymFor(id, t.config.pseudonymSecret));
    schema = createSchema();
  });
  afterAll(() => t.close());

  /** Every protected value and word found in `text` (words only when the request did not itself carry them). */
  function leaks(text: string, request: string, role: Role): string[] {
    const found = PROTECTED.filter((value) => text.includes(value));
    found.push(...WORDS.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text) && !new RegExp(`\\b${word}\\b`, 'i').test(request)));
    if (role === 'public') {
      found.push(...pseudonyms.filter((p) => text.includes(p)));
      found.push(...victimIds.filter((id) => text.includes(id) && !request.includes(id)));
    }
    return found;
  }

  /** Every victim Person object in a response, wherever it is nested. */
  function victimObjects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
    if (Array.isArray(value)) value.forEach((v) => victimObjects(v, out));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.id === 'string' && victimIds.includes(record.id)) out.push(record);
      Object.values(record).forEach((v) => victimObjects(v, out));
    }
    return out;
  }

  async function send(query: string, variables: Record<string, unknown>, role: Role) {
    const request = JSON.stringify({ query, variables });
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(keys[role] ? { authorization: `Bearer ${keys[role]}` } : {}) },
      body: request,
    });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }, request };
  }

  it('walks every root field down to every Person reachable within 4 hops, and no protected value comes back to a journalist or the public', async () => {
    const operations = walkSchema(schema, 4);
    const rootFields = new Set(operations.map((o) => o.root));
    // The paths the issue names are all part of the walk.
    for (const root of ['node', 'nodes', 'search', 'persons', 'events']) expect(rootFields).toContain(root);
    const personPaths = operations.flatMap((o) => o.personPaths);
    for (const p of ['search.edges.node', 'events.nodes.participants.entity', 'persons.nodes.relations.other', 'node', 'nodes']) {
      expect(personPaths).toContain(p);
    }

    const problems: unknown[] = [];
    let journalistSawVictims = 0;
    let internalErrors = 0;
    const invalid: string[] = [];
    for (const operation of operations) {
      for (const variables of operation.scenarios) {
        for (const role of ['journalist', 'public'] as const) {
          const res = await send(operation.query, variables, role);
          const found = leaks(res.text, res.request, role);
          if (found.length) problems.push({ role, root: operation.root, variables, found });
          const seen = victimObjects(res.json.data);
          if (role === 'public' && seen.length) problems.push({ role, root: operation.root, variables, publicSaw: seen.map((v) => v.id) });
          if (role === 'journalist') {
            journalistSawVictims += seen.filter((v) => v.__typename === 'Person').length;
            for (const v of seen.filter((o) => o.__typename === 'Person')) {
              const masked = { name: v.Person_name, aliases: v.Person_aliases, nationality: v.Person_nationality, gender: v.Person_gender, birthDate: v.Person_birthDate, description: v.Person_description };
              const expected = { name: pseudonymFor(v.id as string, t.config.pseudonymSecret), aliases: [], nationality: [], gender: null, birthDate: null, description: null };
              const shown = Object.fromEntries(Object.entries(masked).filter(([, x]) => x !== undefined));
              const hidden = Object.fromEntries(Object.keys(shown).map((k) => [k, expected[k as keyof typeof expected]]));
              if (JSON.stringify(shown) !== JSON.stringify(hidden)) problems.push({ role, root: operation.root, unmasked: v.id, shown });
              if (Array.isArray(v.Person_claims) && v.Person_claims.length) problems.push({ role, root: operation.root, claimsOf: v.id });
            }
          }
          internalErrors += (res.json.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR').length;
          if (res.status !== 200) invalid.push(`${operation.root}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
          invalid.push(...(res.json.errors ?? []).filter((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED').map((e) => `${operation.root}: ${e.message}`));
        }
      }
    }
    expect(problems).toEqual([]);
    // The walk did reach victims (as pseudonyms), so the checks above had something to check.
    expect(journalistSawVictims).toBeGreaterThan(20);
    expect(internalErrors).toBe(0);
    // Every generated query is valid, so every path was really executed.
    expect(invalid).toEqual([]);
  }, 600_000);

  it('shows an investigator the real identities through the same generated queries (so the walk can see a leak)', async () => {
    const node = walkSchema(schema, 4).find((o) => o.root === 'node')!;
    const res = await send(node.query, node.scenarios[0]!, 'investigator');
    expect(leaks(res.text, res.request, 'journalist')).toEqual(expect.arrayContaining([victims[0]!.name, ...victims[0]!.aliases, victims[0]!.birthDate]));
  });

  it('finds no victim when a journalist or the public filters or searches by a victim name; an investigator finds each', async () => {
    const query = `query($name: String!) {
      persons(filter: { nameContains: $name }) { totalCount nodes { id } }
      search(query: $name, types: [PERSON]) { totalCount edges { node { id } } }
    }`;
    for (const surname of SURNAMES) {
      for (const key of [keys.journalist, undefined]) {
        const res = await t.graphql(query, { name: surname }, { key });
        expect(res.data).toEqual({ persons: { totalCount: 0, nodes: [] }, search: { totalCount: 0, edges: [] } });
      }
      const investigator = await t.graphql(query, { name: surname }, { key: keys.investigator });
      const id = victims[SURNAMES.indexOf(surname)]!.id;
      expect(investigator.data).toEqual({ persons: { totalCount: 1, nodes: [{ id }] }, search: { totalCount: 1, edges: [{ node: { id } }] } });
    }
    const nationality = await t.graphql('{ persons(filter: { nationality: ["th", "vn", "ph", "id", "my"] }) { totalCount } }', {}, { key: keys.journalist });
    const [row] = await t.cypher<{ n: number }>("MATCH (p:Person) WHERE NOT p:Victim AND any(c IN p.nationality WHERE c IN ['th','vn','ph','id','my']) RETURN count(p) AS n");
    expect(nationality.data).toEqual({ persons: { totalCount: row!.n } });
  });

  it.each(['ASC', 'DESC'])('puts victims last, by id, when a journalist sorts persons by NAME %s, page by page, and the public sees none', async (direction) => {
    /** Every id of the persons list by NAME in `direction`, read `first` at a time. */
    const idsByName = async (first: number, key?: string): Promise<string[]> => {
      const seen: string[] = [];
      for (let after: string | null = null, page = 0; page < 100; page += 1) {
        const res: any = await t.graphql(
          `query($first: Int, $after: String) { persons(first: $first, after: $after, orderBy: { field: NAME, direction: ${direction} }) { pageInfo { hasNextPage endCursor } nodes { id } } }`,
          { first, after },
          { key },
        );
        expect(res.errors).toBeUndefined();
        seen.push(...res.data.persons.nodes.map((n: { id: string }) => n.id));
        if (!res.data.persons.pageInfo.hasNextPage) return seen;
        after = res.data.persons.pageInfo.endCursor;
      }
      throw new Error('more than 100 pages');
    };
    const [row] = await t.cypher<{ ids: string[] }>(`MATCH (p:Person) WHERE NOT p:Victim WITH p ORDER BY toLower(p.name) ${direction}, p.id RETURN collect(p.id) AS ids`);
    const others = row!.ids;
    expect(others.length).toBeGreaterThan(10);
    // By name the victims would come 0001, 0005, 0002, 0003, 0004 (or the reverse); for a journalist they come last, by id.
    const expected = [...others, ...[...victimIds].sort()];
    expect(await idsByName(100, keys.journalist)).toEqual(expected);
    // Small pages, and a page that ends right after the last of the others, give the same order.
    expect(await idsByName(4, keys.journalist)).toEqual(expected);
    expect(await idsByName(others.length, keys.journalist)).toEqual(expected);
    const byName = (await idsByName(100, keys.investigator)).filter((id) => victimIds.includes(id));
    const ascending = ['person:demo-victim-0001', 'person:demo-victim-0005', 'person:demo-victim-0002', 'person:demo-victim-0003', 'person:demo-victim-0004'];
    expect(byName).toEqual(direction === 'ASC' ? ascending : [...ascending].reverse());
    expect(await idsByName(100)).toEqual(others);
  });

  /** Runs an investigator's write and fails the test on any error. */
  async function write(mutation: string, input: Record<string, unknown>, kind?: string): Promise<void> {
    const res = await t.graphql(`mutation($input: JSON!) { ${kind ? `createEntity(kind: ${kind}, input: $input)` : 'createRelationship(input: $input)'} { operation } }`, { input }, { key: keys.investigator });
    expect({ mutation, errors: res.errors }).toEqual({ mutation, errors: undefined });
  }
  /** Removes what a test wrote: its nodes (and with them their relationships), the relationships it made, their change log. */
  async function removeTestData(nodeIds: string[], relationIds: string[]): Promise<void> {
    await t.cypher('MATCH ()-[r]->() WHERE r.id IN $relationIds DELETE r', { relationIds });
    await t.cypher('MATCH (n:Node) WHERE n.id IN $nodeIds DETACH DELETE n', { nodeIds });
    await t.cypher('MATCH (c:Change) WHERE any(id IN c.entityIds WHERE id IN $ids) DELETE c', { ids: [...nodeIds, ...relationIds] });
  }

  it('orders connectors by name with victims last, by id, below investigator; a victim end is an id that names nothing for the public', async () => {
    const SOURCE = ['source:demo-synthetic'];
    const FROM = 'person:test-link-origin';
    const TO = 'compound:test-link-compound';
    const ALDER = 'person:test-link-alder';
    const YEW = 'person:test-link-yew';
    const [V2, V5] = ['person:demo-victim-0002', 'person:demo-victim-0005'];
    const relations: Record<string, unknown>[] = [
      ...[ALDER, YEW, V2, V5].flatMap((middle) => [
        { type: 'ASSOCIATE_OF', from: middle, to: FROM, sources: SOURCE },
        { type: 'WORKS_AT', from: middle, to: TO, sources: SOURCE },
      ]),
      // Ties the origin to the compound too, so that the origin links a victim to the compound.
      { type: 'WORKS_AT', from: FROM, to: TO, sources: SOURCE },
    ];
    const relationIds = relations.map((r) => `${r.from}|${r.type}|${r.to}`);
    try {
      await write('origin', { id: FROM, name: 'Test Link Origin', roles: ['broker'], sources: SOURCE }, 'PERSON');
      await write('compound', { id: TO, name: 'Test Link Compound', country: 'kh', status: 'operating', sources: SOURCE }, 'COMPOUND');
      await write('alder', { id: ALDER, name: 'Alder Testconnector', roles: ['guard'], sources: SOURCE }, 'PERSON');
      await write('yew', { id: YEW, name: 'Yew Testconnector', roles: ['guard'], sources: SOURCE }, 'PERSON');
      for (const relation of relations) await write(`${relation.from} ${relation.type}`, relation);

      const CONNECTORS = 'query($from: ID!, $to: ID!) { connectors(from: $from, to: $to) { entity { id name } fromRelations { type } toRelations { type } } }';
      const row = (id: string, name: string) => ({ entity: { id, name }, fromRelations: [{ type: 'ASSOCIATE_OF' }], toRelations: [{ type: 'WORKS_AT' }] });
      const pseudonym = (id: string) => pseudonymFor(id, t.config.pseudonymSecret);
      const answer = async (key: string | undefined, from = FROM, to = TO) => (await t.graphql(CONNECTORS, { from, to }, { key })).data;
      // By real name: "Alder ...", "Demo Victim Hakim ..." (0005), "Demo Victim Quang ..." (0002), "Yew ...".
      expect(await answer(keys.investigator)).toEqual({
        connectors: [row(ALDER, 'Alder Testconnector'), row(V5, victims[4]!.name), row(V2, victims[1]!.name), row(YEW, 'Yew Testconnector')],
      });
      expect(await answer(keys.journalist)).toEqual({
        connectors: [row(ALDER, 'Alder Testconnector'), row(YEW, 'Yew Testconnector'), row(V2, pseudonym(V2)), row(V5, pseudonym(V5))],
      });
      expect(await answer(undefined)).toEqual({ connectors: [row(ALDER, 'Alder Testconnector'), row(YEW, 'Yew Testconnector')] });

      // With a victim at either end, an investigator sees who links them; the public gets what an id naming nothing gets.
      const origin = { connectors: [{ entity: { id: FROM, name: 'Test Link Origin' }, fromRelations: [{ type: 'ASSOCIATE_OF' }], toRelations: [{ type: 'WORKS_AT' }] }] };
      expect(await answer(keys.investigator, V5, TO)).toEqual(origin);
      expect(await answer(keys.journalist, V5, TO)).toEqual(origin);
      const compound = { connectors: [{ entity: { id: TO, name: 'Test Link Compound' }, fromRelations: [{ type: 'WORKS_AT' }], toRelations: [{ type: 'WORKS_AT' }] }] };
      expect(await answer(keys.investigator, FROM, V5)).toEqual(compound);
      const NOBODY = 'person:demo-victim-9999';
      for (const [hidden, absent] of [
        [{ from: V5, to: TO }, { from: NOBODY, to: TO }],
        [{ from: FROM, to: V5 }, { from: FROM, to: NOBODY }],
      ]) {
        const shown = await send(CONNECTORS, hidden!, 'public');
        expect({ status: shown.status, body: shown.text }).toEqual({ status: 200, body: '{"data":{"connectors":[]},"extensions":{"cypherRoundTrips":1}}\n' });
        const none = await send(CONNECTORS, absent!, 'public');
        expect(shown.text).toBe(none.text);
      }
    } finally {
      await removeTestData([FROM, TO, ALDER, YEW], relationIds);
    }
  });

  it("shows a journalist a victim's roles as VICTIM alone and no position or topics, as the graph slice does; investigators see them, audited", async () => {
    const ID = 'person:test-victim-0101';
    const NAME = 'Orrin Calloway';
    const POSITION = 'Interpreter for the compound managers';
    try {
      await write('victim', { id: ID, name: NAME, roles: ['victim', 'witness'], position: POSITION, topics: ['role.witness'], ageBand: '24-26', sources: ['source:demo-synthetic'] }, 'PERSON');
      const READ = `query ReadRoles($id: ID!) {
        node(id: $id) { ... on Person { name isVictim roles position topics ageBand } }
        network(ids: [$id], depth: 0) { nodes { id label properties } }
      }`;
      const [stored] = await t.cypher<{ dataset: string; synthetic: boolean }>('MATCH (p:Person {id: $id}) RETURN p.dataset AS dataset, p.synthetic AS synthetic', { id: ID });
      const common = { dataset: stored!.dataset, synthetic: stored!.synthetic, sources: ['source:demo-synthetic'], isVictim: true, pseudonym: pseudonymFor(ID, t.config.pseudonymSecret) };
      const count = async () => (await t.cypher<{ n: number }>('MATCH (a:AuditEntry) RETURN count(a) AS n'))[0]!.n;
      const before = await count();

      const journalist = await t.graphql(READ, { id: ID }, { key: keys.journalist });
      expect(journalist.errors).toBeUndefined();
      expect(journalist.data).toEqual({
        node: { name: common.pseudonym, isVictim: true, roles: ['VICTIM'], position: null, topics: [], ageBand: '24-26' },
        network: { nodes: [{ id: ID, label: common.pseudonym, properties: { ...common, roles: ['victim'], ageBand: '24-26' } }] },
      });
      expect(await count()).toBe(before);

      const investigator = await t.graphql(READ, { id: ID }, { key: keys.investigator });
      expect(investigator.data).toEqual({
        node: { name: NAME, isVictim: true, roles: ['VICTIM', 'WITNESS'], position: POSITION, topics: ['role.witness'], ageBand: '24-26' },
        network: {
          nodes: [
            { id: ID, label: NAME, properties: { ...common, roles: ['victim', 'witness'], ageBand: '24-26', name: NAME, aliases: [], nationality: [], position: POSITION, topics: ['role.witness'] } },
          ],
        },
      });
      // One audit entry for the request, naming the victim: the roles, position and topics alone are identity too.
      const rolesOnly = await t.graphql('query ReadRolesOnly($id: ID!) { node(id: $id) { ... on Person { roles position topics } } }', { id: ID }, { key: keys.investigator });
      expect(rolesOnly.data).toEqual({ node: { roles: ['VICTIM', 'WITNESS'], position: POSITION, topics: ['role.witness'] } });
      const entries = await t.cypher<{ operation: string; victimIds: string[] }>(
        'MATCH (a:AuditEntry) WHERE $id IN a.victimIds RETURN a.operation AS operation, a.victimIds AS victimIds ORDER BY a.at',
        { id: ID },
      );
      expect(entries).toEqual([
        { operation: 'ReadRoles', victimIds: [ID] },
        { operation: 'ReadRolesOnly', victimIds: [ID] },
      ]);

      expect((await t.graphql(READ, { id: ID })).data).toEqual({ node: null, network: { nodes: [] } });

      // A filter on a role other than VICTIM never finds a victim below investigator.
      const WITNESSES = '{ persons(first: 100, filter: { roles: [WITNESS] }, orderBy: { field: ID }) { totalCount nodes { id } } }';
      const others = (await t.cypher<{ id: string }>("MATCH (p:Person) WHERE 'witness' IN p.roles AND NOT p:Victim RETURN p.id AS id ORDER BY p.id")).map((r) => r.id);
      const listed = (ids: string[]) => ({ persons: { totalCount: ids.length, nodes: ids.map((id) => ({ id })) } });
      expect((await t.graphql(WITNESSES, {}, { key: keys.journalist })).data).toEqual(listed(others));
      expect((await t.graphql(WITNESSES, {}, { key: keys.investigator })).data).toEqual(listed([...others, ID].sort()));
      const VICTIMS = '{ persons(first: 100, filter: { roles: [VICTIM, WITNESS] }, orderBy: { field: ID }) { nodes { id } } }';
      const all = (await t.graphql(VICTIMS, {}, { key: keys.journalist })).data!.persons.nodes.map((n: { id: string }) => n.id);
      expect(all).toEqual([...others, ...victimIds, ID].sort());
    } finally {
      await removeTestData([ID], []);
    }
  });

  it('answers the public identically for a hidden victim and for an id that names nothing, on every root field taking one id', async () => {
    const queryType = schema.getQueryType()!;
    const idFields = Object.values(queryType.getFields()).filter(
      (f) => f.args.some((a) => isNonNullType(a.type) && getNamedType(a.type).name === 'ID' && !isListType(getNullableType(a.type))) && f.name !== 'auditLog',
    );
    expect(idFields.map((f) => f.name)).toContain('node');
    for (const field of idFields) {
      const op = rootOperation(field);
      for (const victim of victimIds) {
        const variables = op.fill({ id: victim });
        const missing = op.fill({ id: 'person:demo-victim-9999' });
        const hidden = await send(op.query, variables, 'public');
        const absent = await send(op.query, missing, 'public');
        expect({ field: field.name, status: hidden.status, body: hidden.text }).toEqual({ field: field.name, status: absent.status, body: absent.text });
      }
    }
    const nodes = await send('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: victimIds }, 'public');
    const none = await send('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: victimIds.map((_, i) => `person:nobody-${i}`) }, 'public');
    expect(nodes.text).toBe(none.text);
  });

  it('writes an audit entry for an investigator who reads a victim identity, and none for a journalist', async () => {
    const count = async () => (await t.cypher<{ n: number }>('MATCH (a:AuditEntry) RETURN count(a) AS n'))[0]!.n;
    const read = 'query ReadVictim($id: ID!) { node(id: $id) { ... on Person { name birthDate } } }';
    const before = await count();
    const journalist = await t.graphql(read, { id: 'person:demo-victim-0002' }, { key: keys.journalist });
    expect(journalist.data).toEqual({ node: { name: pseudonymFor('person:demo-victim-0002', t.config.pseudonymSecret), birthDate: null } });
    expect(await count()).toBe(before);

    const investigator = await t.graphql(read, { id: 'person:demo-victim-0002' }, { key: keys.investigator });
    expect(investigator.data).toEqual({ node: { name: victims[1]!.name, birthDate: victims[1]!.birthDate } });
    expect(await count()).toBe(before + 1);
    const [key] = await t.cypher<{ id: string }>('MATCH (k:ApiKey {name: "test investigator"}) RETURN k.id AS id');
    const log = await t.graphql('{ auditLog(first: 1) { totalCount nodes { role keyId victimIds operation at requestId } } }', {}, { key: keys.admin });
    expect(log.data?.auditLog).toEqual({
      totalCount: before + 1,
      nodes: [{ role: 'INVESTIGATOR', keyId: key!.id, victimIds: ['person:demo-victim-0002'], operation: 'ReadVictim', at: expect.any(String), requestId: expect.any(String) }],
    });
    expect(Date.now() - Date.parse(log.data!.auditLog.nodes[0].at)).toBeLessThan(60_000);
  });

  it("counts in each source's citationCount exactly what each role can read that cites it, a claim about a victim for investigators only", async () => {
    const SOURCED = 'id sources { id } claims { sources { id } }';
    const ENTITY = `${SOURCED} relations { id sources { id } }`;
    const READ = `{
      persons(first: 100) { totalCount nodes { ${ENTITY} } }
      organisations(first: 100) { totalCount nodes { ${ENTITY} } }
      compounds(first: 100) { totalCount nodes { ${ENTITY} } }
      events(first: 100) { totalCount nodes { ${SOURCED} participants { entity { id } } compound { id } fromCompound { id } toCompound { id } } }
      sources(first: 100, orderBy: { field: ID }) { nodes { id citationCount supports(first: 500) { id } } }
    }`;
    type Cited = { sources: { id: string }[] };
    type Read = { id: string; claims: Cited[]; relations?: ({ id: string } & Cited)[] } & Cited;
    type ReadEvent = Read & { participants: unknown[]; compound: unknown; fromCompound: unknown; toCompound: unknown };
    /** Citations of `source` among what one role reads: nodes, claims and relations (each once); an event's links count with the event. */
    const readable = (data: any, source: string) => {
      const cites = (x: Cited) => x.sources.some((s) => s.id === source);
      const entities: Read[] = ['persons', 'organisations', 'compounds'].flatMap((list) => data[list].nodes);
      const events: ReadEvent[] = data.events.nodes;
      const all: Read[] = [...entities, ...events];
      const relations = new Set(entities.flatMap((n) => n.relations ?? []).filter(cites).map((r) => r.id));
      return all.filter(cites).length + all.flatMap((n) => n.claims).filter(cites).length + relations.size;
    };
    const CLAIM = 'claim:test-victim-0002-age-band';
    const CASEFILE_B = 'source:demo-synthetic-casefile-b';
    await t.cypher(
      `MATCH (v:Person {id: 'person:demo-victim-0002'}), (s:Source {id: $source})
       CREATE (c:Claim {id: $claim, subject: v.id, property: 'ageBand', value: '25-29', sources: [$source], dataset: 'demo', synthetic: true})
       CREATE (c)-[:ABOUT]->(v), (c)-[:SOURCED_BY]->(s)`,
      { claim: CLAIM, source: CASEFILE_B },
    );
    try {
      const counts: Record<string, Record<string, number>> = {};
      for (const role of ['investigator', 'journalist', 'public'] as const) {
        const res = await send(READ, {}, role);
        expect(res.json.errors).toBeUndefined();
        const data = res.json.data as any;
        // Every list was read whole, so what the role reads is all there is for it.
        for (const list of ['persons', 'organisations', 'compounds', 'events']) expect(data[list].nodes).toHaveLength(data[list].totalCount);
        counts[role] = {};
        for (const source of data.sources.nodes) {
          expect({ role, source: source.id, count: source.citationCount }).toEqual({ role, source: source.id, count: readable(data, source.id) });
          counts[role]![source.id] = source.citationCount;
        }
        if (role === 'public') expect(data.sources.nodes.flatMap((s: any) => s.supports.map((n: any) => n.id)).filter((id: string) => victimIds.includes(id))).toEqual([]);
      }
      // 118 = 72 entities and events + 4 claims + 42 entity relationships (an event's participations and links count
      // with the event); the public reads none of the 5 victims. Casefile B is also cited by two victims and by the
      // claim about one made above.
      expect(counts).toEqual({
        investigator: { 'source:demo-synthetic': 118, [CASEFILE_B]: 14 },
        journalist: { 'source:demo-synthetic': 118, [CASEFILE_B]: 13 },
        public: { 'source:demo-synthetic': 113, [CASEFILE_B]: 11 },
      });
    } finally {
      await t.cypher('MATCH (c:Claim {id: $claim}) DETACH DELETE c', { claim: CLAIM });
    }
  });

  it('hands out victim ids that carry nothing about the victim, and pseudonyms that need the server secret', () => {
    for (const victim of victims) {
      const words = identifyingWords(victim).map((w) => w.toLowerCase());
      expect({ id: victim.id, words: words.filter((w) => victim.id.toLowerCase().includes(w)) }).toEqual({ id: victim.id, words: [] });
      expect(victim.id).toMatch(/^person:demo-victim-\d{4}$/);
      expect(pseudonymFor(victim.id, t.config.pseudonymSecret)).not.toBe(pseudonymFor(victim.id, 'another-secret-of-sixteen-chars'));
    }
  });
});

/** One generated operation: a root field with a selection reaching every Person within the hop budget. */
interface WalkOperation {
  root: string;
  query: string;
  /** Variable sets to send: each victim id, filters and searches by victims' names, NAME ordering. */
  scenarios: Record<string, unknown>[];
  /** Dotted paths (field names) at which a Person can appear. */
  personPaths: string[];
}

/**
 * Generates, for every root Query field, a query whose selection follows every field path that can reach a
 * Person (directly or through an interface) within `hops` fields, selecting every scalar on the way and the
 * identity fields and claims at every Person. A type repeats at most twice on one path.
 */
function walkSchema(schema: GraphQLSchema, hops: number): WalkOperation[] {
  const distance = distancesToPerson(schema);
  const operations: WalkOperation[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name === 'auditLog') continue;
    const named = getNamedType(field.type);
    if (!isLeafType(named) && (distance.get(named.name) ?? Infinity) > hops) continue;
    const personPaths: string[] = [];
    const selection = isLeafType(named) ? '' : selectionFor(schema, named as GraphQLCompositeType, hops - 1, [field.name], new Map(), distance, personPaths);
    const op = rootOperation(field, selection);
    operations.push({ root: field.name, query: op.query, scenarios: scenariosFor(field, op.fill), personPaths });
  }
  return operations;
}

function selectionFor(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  remaining: number,
  pathSoFar: string[],
  seen: Map<string, number>,
  distance: Map<string, number>,
  personPaths: string[],
): string {
  if (isAbstractType(type)) {
    const parts = ['__typename'];
    for (const possible of schema.getPossibleTypes(type)) {
      if ((distance.get(possible.name) ?? Infinity) > remaining && possible.name !== 'Person') continue;
      parts.push(`... on ${possible.name} { ${selectionFor(schema, possible, remaining, pathSoFar, seen, distance, personPaths)} }`);
    }
    return parts.join(' ');
  }
  if (type.name === 'Person') personPaths.push(pathSoFar.join('.'));
  const visits = new Map(seen).set(type.name, (seen.get(type.name) ?? 0) + 1);
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const args = inlineArgs(field.args);
    if (args === undefined) continue;
    // Every field but id is aliased by its type, so sibling fragments never conflict (Compound.country vs Organisation.country).
    const alias = field.name === 'id' ? '' : `${type.name}_${field.name}: `;
    if (isLeafType(named)) {
      parts.push(`${alias}${field.name}${args}`);
      continue;
    }
    const isClaims = type.name === 'Person' && field.name === 'claims';
    const reachable = remaining > 0 && (distance.get(named.name) ?? Infinity) <= remaining - 1 && (visits.get(named.name) ?? 0) < 2;
    if (isClaims) parts.push('Person_claims: claims { property value note }');
    else if (reachable) {
      parts.push(`${alias}${field.name}${args} { ${selectionFor(schema, named as GraphQLCompositeType, remaining - 1, [...pathSoFar, field.name], visits, distance, personPaths)} }`);
    }
  }
  return parts.join(' ');
}

/** Fewest fields from each composite type to a Person (0 for Person and the interfaces it implements). */
function distancesToPerson(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isAbstractType(t)));
  const distance = new Map<string, number>([['Person', 0]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of types) {
      let best = distance.get(type.name) ?? Infinity;
      if (isAbstractType(type)) for (const p of schema.getPossibleTypes(type)) best = Math.min(best, distance.get(p.name) ?? Infinity);
      if (isObjectType(type) || 'getFields' in type) {
        for (const field of Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields())) {
          best = Math.min(best, 1 + (distance.get(getNamedType(field.type).name) ?? Infinity));
        }
      }
      if (best < (distance.get(type.name) ?? Infinity)) {
        distance.set(type.name, best);
        changed = true;
      }
    }
  }
  return distance;
}

/** Inline arguments for a nested field: required ones only, with a victim id for ids; undefined when one cannot be made. */
function inlineArgs(args: readonly GraphQLArgument[]): string | undefined {
  const parts: string[] = [];
  for (const arg of args) {
    if (!isNonNullType(arg.type)) continue;
    const value = literal(arg.type as GraphQLInputType);
    if (value === undefined) return undefined;
    parts.push(`${arg.name}: ${value}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

function literal(type: GraphQLInputType): string | undefined {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    const inner = literal(nullable.ofType as GraphQLInputType);
    return inner === undefined ? undefined : `[${inner}]`;
  }
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (named.name === 'ID') return JSON.stringify(victimIds[0]);
  if (named.name === 'String') return JSON.stringify(SURNAMES[0]);
  if (named.name === 'Int') return '2';
  if (named.name === 'Date') return '"2024"';
  if (named.name === 'Boolean') return 'false';
  return undefined;
}

/**
 * A root field as an operation with every argument a variable, and `fill` building variables: the first ID
 * argument gets `id`, other IDs a compound every victim passed through, lists of ids all victims, strings a
 * victim's surname, `first` 100; optional arguments stay unset unless given in `extra`.
 */
function rootOperation(field: GraphQLField<unknown, unknown>, selection?: string) {
  const named = getNamedType(field.type);
  const sel = selection ?? (isLeafType(named) ? '' : '__typename');
  const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `query Walk${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${sel ? ` { ${sel} }` : ''} }`;
  const fill = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const vars: Record<string, unknown> = {};
    let idGiven = false;
    for (const arg of field.args) {
      const nullable = getNullableType(arg.type) as GraphQLInputType;
      const name = getNamedType(arg.type).name;
      if (arg.name in extra && !('id' in extra && arg.name === 'id')) {
        vars[arg.name] = extra[arg.name];
      } else if (name === 'ID' && !isListType(nullable) && (isNonNullType(arg.type) || 'id' in extra)) {
        vars[arg.name] = !idGiven ? (extra.id ?? victimIds[0]) : 'compound:demo-riverbend-park';
        idGiven = true;
      } else if (isNonNullType(arg.type)) {
        vars[arg.name] = rootValue(arg.type as GraphQLInputType);
      } else if (arg.name === 'first' && name === 'Int') {
        vars[arg.name] = 100;
      }
    }
    return vars;
  };
  return { query, fill };
}

function rootValue(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  const named = getNamedType(type);
  if (isListType(nullable)) return named.name === 'ID' ? victimIds : [rootValue(nullable.ofType as GraphQLInputType)];
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isScalarType(named)) {
    if (named.name === 'ID') return victimIds[0];
    if (named.name === 'String') return SURNAMES[0];
    if (named.name === 'Int') return 2;
    if (named.name === 'Date') return '2024';
    if (named.name === 'JSON') return {};
    if (named.name === 'Boolean') return false;
  }
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const f of Object.values(named.getFields())) if (isNonNullType(f.type)) value[f.name] = rootValue(f.type as GraphQLInputType);
    return value;
  }
  return null;
}

/** The variable sets of one root field. */
function scenariosFor(field: GraphQLField<unknown, unknown>, fill: (extra?: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown>[] {
  const scenarios: Record<string, unknown>[] = [fill()];
  const takesId = field.args.some((a) => getNamedType(a.type).name === 'ID' && !isListType(getNullableType(a.type)) && isNonNullType(a.type));
  if (takesId) for (const id of victimIds.slice(1)) scenarios.push(fill({ id }));
  const stringArg = field.args.find((a) => isNonNullType(a.type) && getNamedType(a.type).name === 'String');
  if (stringArg) for (const surname of SURNAMES.slice(1)) scenarios.push(fill({ [stringArg.name]: surname }));
  for (const arg of field.args) {
    const named = getNamedType(arg.type);
    if (isListType(getNullableType(arg.type)) && named.name === 'ID') continue;
    if (!isInputObjectType(named)) continue;
    const fields = named.getFields();
    if (arg.name === 'filter') {
      const filter: Record<string, unknown> = {};
      for (const f of Object.values(fields)) {
        const inner = getNamedType(f.type).name;
        if (inner === 'String' && !isListType(getNullableType(f.type))) filter[f.name] = SURNAMES[0];
      }
      if (Object.keys(filter).length) for (const surname of SURNAMES) scenarios.push(fill({ [arg.name]: Object.fromEntries(Object.keys(filter).map((k) => [k, surname])) }));
      const idFields = Object.values(fields).filter((f) => getNamedType(f.type).name === 'ID' && !isListType(getNullableType(f.type)));
      for (const f of idFields) for (const id of victimIds) scenarios.push(fill({ [arg.name]: { [f.name]: id } }));
      const nationality = fields.nationality;
      if (nationality) scenarios.push(fill({ [arg.name]: { nationality: ['th', 'vn', 'ph', 'id', 'my'] } }));
    }
    if (arg.name === 'orderBy' && fields.field) {
      const orderEnum = getNamedType(fields.field.type);
      if (isEnumType(orderEnum) && orderEnum.getValue('NAME')) {
        for (const direction of ['ASC', 'DESC']) scenarios.push(fill({ [arg.name]: { field: 'NAME', direction } }));
      }
    }
  }
  return scenarios;
}

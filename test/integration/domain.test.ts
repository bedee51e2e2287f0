import fs from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { seed } from '../../src/ingest/seedDatasets';

const publicRecord = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'public-record', 'public-record.json'), 'utf8'),
);

const sorted = (values: string[]) => [...values].sort();

describe('the domain graph on the seed data', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['public-record', 'demo'] });
  });
  afterAll(() => t.close());

  describe('every public-record fact is queryable with its source', () => {
    it.each(['persons', 'organisations', 'compounds', 'events', 'sources'])('every item of %s resolves by id with its sources', async (key) => {
      const items = publicRecord[key] as { id: string; sources?: string[]; name?: string; title?: string }[];
      expect(items.length).toBeGreaterThan(0);
      const res = await t.graphql<{ nodes: any[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Sourced { sources { id } }
          ... on Entity { name } ... on Event { title } ... on Source { title } } }`,
        { ids: items.map((i) => i.id) },
      );
      expect(res.errors).toBeUndefined();
      res.data!.nodes.forEach((node, index) => {
        const item = items[index]!;
        expect(node.id).toBe(item.id);
        if (item.name) expect(node.name).toBe(item.name);
        if (item.title) expect(node.title).toBe(item.title);
        if (key !== 'sources') expect(sorted(node.sources.map((s: { id: string }) => s.id))).toEqual(sorted(item.sources!));
      });
    });

    it('every relationship is reachable from its start with its type, dates, position and sources', async () => {
      const rels = publicRecord.relationships as { type: string; from: string; to: string; position?: string; start?: string; sources: string[] }[];
      const res = await t.graphql<{ nodes: any[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Entity { relations(direction: OUTGOING) { type start position other { id } sources { id } } } } }`,
        { ids: [...new Set(rels.map((r) => r.from))] },
      );
      expect(res.errors).toBeUndefined();
      const byId = new Map(res.data!.nodes.map((n) => [n.id, n.relations as any[]]));
      for (const rel of rels) {
        const found = byId
          .get(rel.from)!
          .find((r) => r.type === rel.type && r.other.id === rel.to && r.position === (rel.position ?? null));
        expect(found).toBeDefined();
        expect(sorted(found.sources.map((s: { id: string }) => s.id))).toEqual(sorted(rel.sources));
        expect(found.position).toBe(rel.position ?? null);
        expect(found.start).toBe(rel.start ?? null);
      }
    });

    it('keeps conflicting claims side by side, each with its own source, flagged as disputed', async () => {
      const claims = publicRecord.claims as { subject: string; property: string; value: unknown; sources: string[] }[];
      const subjects = [...new Set(claims.map((c) => c.subject))];
      const res = await t.graphql<{ nodes: any[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Sourced { claims { property value disputed sources { id } } } } }`,
        { ids: subjects },
      );
      expect(res.errors).toBeUndefined();
      const got = res.data!.nodes.flatMap((n) =>
        n.claims.map((c: any) => ({ subject: n.id, property: c.property, value: c.value, sources: sorted(c.sources.map((s: any) => s.id)) })),
      );
      const expected = claims.map((c) => ({ subject: c.subject, property: c.property, value: String(c.value), sources: sorted(c.sources) }));
      const key = (c: { subject: string; property: string; value: string }) => `${c.subject}|${c.property}|${c.value}`;
      expect(got.map(key).sort()).toEqual(expected.map(key).sort());
      const founding = res.data!.nodes.flatMap((n) => n.claims).filter((c: any) => c.property === 'foundedOn');
      expect(founding.map((c: any) => c.value).sort()).toEqual(['2025-02-20', '2025-07-04']);
      expect(founding.every((c: any) => c.disputed)).toBe(true);
      const counts = res.data!.nodes.flatMap((n) => n.claims).filter((c: any) => c.property === 'compoundsIdentified');
      expect(counts.map((c: any) => c.value).sort()).toEqual(['52', '53']);
    });
  });

  describe('search', () => {
    const search = async (query: string, types?: string[]) => {
      const res = await t.graphql<{ search: { totalCount: number; edges: { score: number; node: { id: string } }[] } }>(
        `query($q: String!, $types: [EntityType!]) { search(query: $q, types: $types, first: 5) { totalCount edges { score node { id } } } }`,
        { q: query, types },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.search;
    };

    it.each([
      ['Chen Zhi', 'person:chen-zhi'],
      ['chen zhi', 'person:chen-zhi'],
      ['Chén Zhí', 'person:chen-zhi'],
      ['陈志', 'person:chen-zhi'],
      ['Zhongb', 'person:zhu-zhongbaio'],
      ['Prince Group', 'organisation:prince-holding-group'],
      ['Jinyun', 'compound:golden-fortune-science-and-technology-park'],
      ['Jinhong Park', 'compound:mango-park'],
    ])('finds %j first as %s', async (query, id) => {
      const result = await search(query, ['PERSON', 'ORGANISATION', 'COMPOUND']);
      expect(result.edges[0]?.node.id).toBe(id);
      expect(result.edges[0]!.score).toBeGreaterThan(0);
    });

    it('restricts hits to the types asked for', async () => {
      const result = await search('Chen Zhi', ['EVENT']);
      expect(result.edges.length).toBeGreaterThan(0);
      expect(result.edges.every((e) => e.node.id.startsWith('event:'))).toBe(true);
    });

    it('rejects a query with no letters or digits, naming the argument', async () => {
      const res = await t.graphql('{ search(query: "*** ???") { totalCount } }');
      expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'query' });
    });
  });

  describe('filters, ordering and pagination agree with Cypher', () => {
    const count = async (cypher: string, params: Record<string, unknown> = {}) => {
      const [row] = await t.cypher<{ c: number }>(cypher, params);
      return row!.c;
    };

    it('counts compounds by country', async () => {
      for (const country of ['kh', 'mm', 'la']) {
        const res = await t.graphql<any>(`query($c: [String!]) { compounds(filter: { country: $c }) { totalCount } }`, { c: [country] });
        expect(res.data.compounds.totalCount).toBe(await count('MATCH (n:Compound {country: $country}) RETURN count(n) AS c', { country }));
      }
    });

    it('counts organisations by kind and compounds by status', async () => {
      const orgs = await t.graphql<any>('{ organisations(filter: { kind: [ARMED_GROUP, COMPANY] }) { totalCount } }');
      expect(orgs.data.organisations.totalCount).toBe(
        await count("MATCH (n:Organisation) WHERE n.kind IN ['armed_group', 'company'] RETURN count(n) AS c"),
      );
      const raided = await t.graphql<any>('{ compounds(filter: { status: [RAIDED] }) { totalCount nodes { id } } }');
      expect(raided.data.compounds.totalCount).toBe(await count("MATCH (n:Compound {status: 'raided'}) RETURN count(n) AS c"));
    });

    it('filters events by kind and a partial-date window that overlaps their dates', async () => {
      const res = await t.graphql<any>('{ events(filter: { kinds: [TRANSFER], from: "2023-11-15", to: "2023-11-20" }) { totalCount nodes { id date } } }');
      expect(res.data.events.nodes).toEqual([{ id: 'event:demo-2023-11-transfer', date: '2023-11' }]);
      const year = await t.graphql<any>('{ events(filter: { kinds: [TRANSFER], from: "2024", to: "2024" }) { totalCount } }');
      expect(year.data.events.totalCount).toBe(
        await count("MATCH (n:Event {kind: 'transfer'}) WHERE n.dateStart <= '2024-12-31' AND n.dateEnd >= '2024-01-01' RETURN count(n) AS c"),
      );
    });

    it('filters by the source that cites an entity', async () => {
      const res = await t.graphql<any>('{ persons(filter: { sourceId: "source:eu-32026r1895" }, first: 50) { totalCount nodes { id } } }');
      expect(res.data.persons.totalCount).toBe(
        await count("MATCH (n:Person)-[:SOURCED_BY]->(:Source {id: 'source:eu-32026r1895'}) RETURN count(n) AS c"),
      );
      expect(res.data.persons.totalCount).toBe(7);
    });

    it('pages through all events in date order with cursors, matching Cypher', async () => {
      const expected = (
        await t.cypher<{ id: string }>('MATCH (n:Event) RETURN n.id AS id ORDER BY n.dateStart, n.dateEnd, n.id')
      ).map((r) => r.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i += 1) {
        const res: any = await t.graphql(
          'query($after: String) { events(first: 7, after: $after, orderBy: { field: DATE }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }',
          { after },
        );
        expect(res.data.events.totalCount).toBe(expected.length);
        seen.push(...res.data.events.nodes.map((n: { id: string }) => n.id));
        if (!res.data.events.pageInfo.hasNextPage) break;
        after = res.data.events.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    });

    it('pages to the end without totalCount, which is then not counted, and hasNextPage is still right', async () => {
      const expected = (await t.cypher<{ id: string }>('MATCH (n:Event) RETURN n.id AS id ORDER BY n.dateStart, n.dateEnd, n.id')).map((r) => r.id);
      // Pages of 7, and of exactly the remainder-free size, so the last page is full and hasNextPage must come from the extra row.
      const divisor = [5, 4, 3, 2, 1].find((d) => expected.length % d === 0) ?? 1;
      for (const size of [7, divisor]) {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        for (let i = 0; i < 100; i += 1) {
          const res: any = await t.graphql(
            'query($after: String, $first: Int) { events(first: $first, after: $after, orderBy: { field: DATE }) { ...Page } } fragment Page on EventConnection { pageInfo { more: hasNextPage endCursor } nodes { id } }',
            { after, first: size },
          );
          expect(res.errors).toBeUndefined();
          pages += 1;
          seen.push(...res.data.events.nodes.map((n: { id: string }) => n.id));
          if (!res.data.events.pageInfo.more) break;
          after = res.data.events.pageInfo.endCursor;
        }
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / size));
      }
      const uncounted = await t.graphql<any>('{ events(first: 3) { nodes { id } } }');
      const counted = await t.graphql<any>('{ events(first: 3) { total: totalCount nodes { id } } }');
      expect(counted.data.events.total).toBe(expected.length);
      expect(uncounted.data.events.nodes).toEqual(counted.data.events.nodes);
    });

    it('orders compounds by name descending', async () => {
      const res = await t.graphql<any>('{ compounds(first: 100, orderBy: { field: NAME, direction: DESC }) { nodes { name } } }');
      const names = res.data.compounds.nodes.map((n: { name: string }) => n.name.toLowerCase());
      expect(names).toEqual([...names].sort().reverse());
    });
  });

  describe('batching', () => {
    const nested = `query($first: Int) { compounds(first: $first) { nodes { id
      operators { other { id ... on Organisation { members { other { id events { event { id } } } } } } }
    } } }`;

    it('sends a number of Cypher round trips that depends on the depth of the query, not on the number of results', async () => {
      const small = await t.graphql<any>(nested, { first: 2 });
      const large = await t.graphql<any>(nested, { first: 100 });
      expect(small.errors).toBeUndefined();
      expect(large.errors).toBeUndefined();
      expect(large.data.compounds.nodes.length).toBe(14);
      // The list's statement fetches the operators, their members and the members' events ahead (src/common/prefetch.ts)
      expect(large.extensions!.cypherRoundTrips).toBe(1);
      expect(small.extensions!.cypherRoundTrips).toBe(1);
    });
  });

  it('accepts the nested list with a literal page size under the default cost limit', async () => {
    const res = await t.graphql<any>(`{ compounds(first: 100) { nodes { id
      operators { other { id ... on Organisation { members { other { id events { event { id } } } } } } }
    } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.compounds.nodes).toHaveLength(14);
  });

  describe('bad input', () => {
    it.each([
      ['{ node(id: "compound") { id } }', 'id'],
      ['{ nodes(ids: ["person:ok", "BAD ID"]) { id } }', 'ids'],
      ['{ compounds { nodes { status(asOf: "2025-13") } } }', '2025-13'],
      ['{ events(filter: { from: "July 2025" }) { totalCount } }', 'July 2025'],
      ['{ compounds(first: 1000) { totalCount } }', 'first'],
      ['{ compounds(after: "forged") { totalCount } }', 'after'],
    ])('rejects %s with BAD_USER_INPUT naming %s', async (query, argument) => {
      const res = await t.graphql(query);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toContain(`"${argument}"`);
    });
  });

  it('rejects a bad date variable naming the variable', async () => {
    const res = await t.graphql('query($d: Date) { compounds { nodes { status(asOf: $d) } } }', { d: '2025-02-30' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$d');
  });

  describe('seeding', () => {
    it('changes nothing when run twice', async () => {
      const snapshot = async () =>
        t.cypher(`MATCH (n) WITH count(n) AS nodes, collect(properties(n)) AS props
          OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels, size(props) AS p`);
      const fingerprint = async () =>
        t.cypher(`MATCH (n:Node) WITH n ORDER BY n.id RETURN collect(n.id + ':' + coalesce(n.name, n.title, '')) AS ids`);
      const before = [await snapshot(), await fingerprint()];
      await seed(t.executor, ['public-record', 'demo']);
      expect([await snapshot(), await fingerprint()]).toEqual(before);
    });
  });

  describe('victims by role', () => {
    it('hides victims from the public, shows journalists a pseudonym and investigators the identity', async () => {
      const query = '{ persons(filter: { roles: [VICTIM] }, first: 50, orderBy: { field: ID }) { totalCount nodes { id name pseudonym ageBand birthDate } } }';
      const pub = await t.graphql<any>(query);
      expect(pub.data.persons).toEqual({ totalCount: 0, nodes: [] });
      const journalist = await t.graphql<any>(query, {}, { key: await t.keyFor('journalist') });
      expect(journalist.data.persons.totalCount).toBe(5);
      for (const p of journalist.data.persons.nodes) {
        expect(p.name).toBe(p.pseudonym);
        expect(p.name).toMatch(/^Victim [A-Z2-9]{4}-[A-Z2-9]{4}$/);
        expect(p.birthDate).toBeNull();
        expect(p.ageBand).not.toBeNull();
      }
      const investigator = await t.graphql<any>(query, {}, { key: await t.keyFor('investigator') });
      const demo = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'demo', 'demo.json'), 'utf8'));
      const realName = new Map((demo.persons as { id: string; name: string }[]).map((p) => [p.id, p.name]));
      expect(investigator.data.persons.nodes.map((p: any) => p.name)).toEqual(
        journalist.data.persons.nodes.map((p: any) => realName.get(p.id)),
      );
      const [audit] = await t.cypher<{ ids: string[] }>(
        "MATCH (a:AuditEntry {role: 'investigator'}) RETURN a.victimIds AS ids ORDER BY a.at DESC LIMIT 1",
      );
      expect(audit!.ids).toEqual(investigator.data.persons.nodes.map((p: any) => p.id).sort());
    });

    it('withholds an identity answer with HTTP 503 when its audit entry cannot be written', async () => {
      const key = await t.keyFor('investigator');
      const demo = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'demo', 'demo.json'), 'utf8'));
      const names = (demo.persons as { name: string; roles: string[] }[]).filter((p) => p.roles.includes('victim')).map((p) => p.name);
      // A real write failure: a uniqueness constraint (made for this test only) that the audit entry of this
      // request id breaks, because an entry with that id is already there.
      const requestId = `audit-collision-${Date.now()}`;
      await t.cypher('CREATE CONSTRAINT test_audit_request_id IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.requestId IS UNIQUE');
      await t.cypher("CREATE (:AuditEntry {requestId: $requestId, role: 'test', victimIds: [], at: '2000-01-01T00:00:00Z'})", { requestId });
      try {
        const response = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': requestId },
          body: JSON.stringify({ query: '{ persons(filter: { roles: [VICTIM] }, first: 50) { nodes { id name } } }' }),
        });
        const text = await response.text();
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(JSON.parse(text)).toEqual({
          errors: [{ message: 'The answer was withheld because the audit log could not be written.', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        });
        for (const name of names) expect(text).not.toContain(name);
      } finally {
        await t.cypher('DROP CONSTRAINT test_audit_request_id IF EXISTS');
        await t.cypher('MATCH (a:AuditEntry {requestId: $requestId}) DELETE a', { requestId });
      }
      // The same question with a fresh request id is answered, and audited.
      const again = await t.graphql<any>('{ persons(filter: { roles: [VICTIM] }, first: 50) { nodes { id name } } }', {}, { key });
      expect(again.status).toBe(200);
      expect(again.data.persons.nodes.map((p: any) => p.name).sort()).toEqual([...names].sort());
    });
  });
  describe('Source.citationCount', () => {
    const COUNTS = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Source { citationCount } } }';
    const countsOf = async (ids: string[], key?: string) => {
      const res = await t.graphql<any>(COUNTS, { ids }, key ? { key } : {});
      expect(res.errors).toBeUndefined();
      return Object.fromEntries(res.data.nodes.map((n: { id: string; citationCount: number }) => [n.id, n.citationCount]));
    };

    it('counts every node and relationship citing a public-record source, as the seed file records them', async () => {
      type Cited = { sources: string[] };
      const cites = (id: string) => (item: Cited) => item.sources.includes(id);
      const sourceIds = (publicRecord.sources as { id: string }[]).map((s) => s.id);
      // An event's participations and its links to compounds are part of the event: they count with it, once.
      const expected = Object.fromEntries(
        sourceIds.map((id) => [id, ['persons', 'organisations', 'compounds', 'events', 'claims', 'relationships'].flatMap((list) => (publicRecord[list] as Cited[]).filter(cites(id))).length]),
      );
      expect(expected['source:ofac-2025-10-14-prince-group']).toBe(6);
      // 22 nodes and 16 relationships.
      expect(expected['source:eu-32026r1895']).toBe(38);
      expect(await countsOf(sourceIds)).toEqual(expected);
      // The public record names no victim: every role counts the same.
      expect(await countsOf(sourceIds, await t.keyFor('journalist'))).toEqual(expected);
    });

    it('counts the sources of a list in one statement', async () => {
      const res = await t.graphql<any>('{ sources(first: 20, orderBy: { field: ID }) { nodes { id citationCount } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.sources.nodes).toHaveLength(15);
      expect(res.data.sources.nodes.find((n: any) => n.id === 'source:demo-synthetic').citationCount).toBe(113);
      // The page, then one batch for every count.
      expect(res.extensions!.cypherRoundTrips).toBe(2);
    });

    // Last: it retires an event and a relationship.
    it('leaves retired nodes and relationships out of the count and of supports', async () => {
      const CASEFILE_B = 'source:demo-synthetic-casefile-b';
      const ESCAPE = 'event:demo-2024-07-20-escape';
      const investigator = await t.keyFor('investigator');
      const journalist = await t.keyFor('journalist');
      const SUPPORTS = `{ node(id: "${CASEFILE_B}") { ... on Source { citationCount supports { id } } } }`;
      const before = await t.graphql<any>(SUPPORTS, {}, { key: journalist });
      expect(before.data.node.citationCount).toBe(13);
      expect(before.data.node.supports.map((n: any) => n.id)).toContain(ESCAPE);
      expect({ journalist: await countsOf([CASEFILE_B], journalist), public: await countsOf([CASEFILE_B]) }).toEqual({
        journalist: { [CASEFILE_B]: 13 }, public: { [CASEFILE_B]: 11 },
      });
      for (const mutation of [
        `mutation { retireEntity(id: "${ESCAPE}", reason: "test") { operation } }`,
        `mutation { retireRelationship(id: "organisation:demo-bluewater-holdings|AFFILIATED_WITH|organisation:demo-red-crane-network", reason: "test") { operation } }`,
      ]) {
        const res = await t.graphql<any>(mutation, {}, { key: investigator });
        expect(res.errors).toBeUndefined();
      }
      // Gone: the escape and the relationship (the escape's participations and its link to Cloudgate counted with it).
      expect({ journalist: await countsOf([CASEFILE_B], journalist), public: await countsOf([CASEFILE_B]) }).toEqual({
        journalist: { [CASEFILE_B]: 11 }, public: { [CASEFILE_B]: 9 },
      });
      const after = await t.graphql<any>(SUPPORTS, {}, { key: journalist });
      expect(after.data.node.supports.map((n: any) => n.id)).toEqual(before.data.node.supports.map((n: any) => n.id).filter((id: string) => id !== ESCAPE));
    });
  });
});

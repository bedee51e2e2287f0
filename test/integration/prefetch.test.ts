import { startTestServer, type TestServer } from '../helpers/testServer';

/**
 * Prefetch (src/common/prefetch.ts): a list's statement fetches the relations and events its rows'
 * selection reaches, and fills the loaders ahead. The same selection under `nodes(ids:)`, which
 * prefetches nothing and answers every level from the loaders' own statements, is the reference: the
 * two answers must be equal, for every role, victims included (hidden, pseudonymous or named).
 */

type Role = 'investigator' | 'journalist' | 'public';
const ROLES: Role[] = ['investigator', 'journalist', 'public'];

const PERSON = `... on Person { name pseudonym isVictim ageBand nationality }`;

/** Selections under a list row: [root list, its type, the selection]. */
const CASES: [string, string, string, string][] = [
  [
    'the benchmark nested list',
    'compounds',
    'Compound',
    `id name operators { other { id ... on Organisation { members { other { id events(first: 50) { event { id kind } } } } } } }`,
  ],
  [
    'every relation and event two levels down, with whole records',
    'compounds',
    'Compound',
    `id name status location { latitude }
     relations { type start end sources { id } other { id __typename ${PERSON}
       ... on Person { relations { type other { id ${PERSON} } } events(first: 3) { role event { id kind title date } } }
       ... on Organisation { name members(asOf: "2024") { type other { id ${PERSON} } } } } }
     events(first: 5) { role event { id kind price currency } }
     staff { other { id ${PERSON} } }`,
  ],
  [
    'persons, victims among them, with their compounds and who else works there',
    'persons',
    'Person',
    `id ${PERSON}
     compounds { type other { id ... on Compound { name staff { other { id ${PERSON} } } operators { other { id } } } } }
     organisations { other { id ... on Organisation { members { other { id ${PERSON} } } } } }
     transfers: events(kinds: [TRANSFER], first: 2) { role event { id kind } }
     allEvents: events(first: 100) { role event { id } }`,
  ],
  [
    'one loader asked by two types, and a fourth level the plan leaves to the loaders',
    'organisations',
    'Organisation',
    `id members { other { id
       ... on Organisation { members { other { id } } }
       ... on Person { relations(types: [LEADS, MEMBER_OF, EMPLOYED_BY], direction: OUTGOING) { other { id
         ... on Organisation { members { other { id ... on Person { organisations { other { id } } } } } } } } } } }
     linkedOrganisations { other { id ... on Organisation { linkedOrganisations { other { id } } } } }`,
  ],
];

describe('prefetched nested selections', () => {
  let t: TestServer;
  const keys: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    // Keys are remembered for the whole run, so a request's statements are only the query's own.
    t = await startTestServer({ datasets: ['public-record', 'demo'], env: { TG_MAX_COST: '1000000000', TG_AUTH_CACHE_MS: '300000' } });
    keys.investigator = await t.keyFor('investigator');
    keys.journalist = await t.keyFor('journalist');
    for (const key of [keys.investigator, keys.journalist]) expect((await t.graphql('{ __typename }', {}, { key })).errors).toBeUndefined();
  });
  afterAll(() => t.close());

  describe.each(ROLES)('as %s', (role) => {
    it.each(CASES)('%s: equal to the same selection answered level by level', async (_name, list, type, selection) => {
      const key = keys[role];
      const options = key ? { key } : {};
      const listed = await t.graphql<Record<string, { nodes: { id: string }[] }>>(`{ ${list}(first: 100, orderBy: { field: ID }) { nodes { ${selection} } } }`, {}, options);
      expect(listed.errors).toBeUndefined();
      const rows = listed.data![list]!.nodes;
      expect(rows.length).toBeGreaterThan(3);
      const reference = await t.graphql<{ nodes: unknown[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { ${selection} } } }`,
        { ids: rows.map((row) => row.id) },
        options,
      );
      expect(reference.errors).toBeUndefined();
      expect(rows).toEqual(reference.data!.nodes);
      // The list answered in fewer statements than the level-by-level reference.
      expect(listed.extensions!.cypherRoundTrips).toBeLessThan(reference.extensions!.cypherRoundTrips as number);
    });
  });

  it.each(['investigator', 'journalist'] as const)(
    'answers custody chains in one wave, as %s, with what their events answer field by field through the loaders',
    async (role) => {
      const key = keys[role]!;
      const entity = `id __typename ${PERSON} ... on Organisation { name }`;
      const claim = 'id property value disputed';
      type Ref = { id: string; participants: { role: string; entity: unknown }[]; claims: { id: string; disputed: boolean }[]; sources: unknown[] } & Record<string, unknown>;
      const checked: { sellers: unknown[]; buyers: unknown[]; sources: unknown[]; conflicts: unknown[]; compounds: unknown[] }[] = [];
      // Victim 0001 was sold three times; victim 0003's chain has a gap and conflicting price claims.
      for (const id of ['person:demo-victim-0001', 'person:demo-victim-0003']) {
        const res = await t.graphql<any>(
          `query($id: ID!) { traceVictim(id: $id) { steps { event { id }
            compound { id name } fromCompound { id name } toCompound { id name }
            sellers { ${entity} } buyers { ${entity} } brokers { ${entity} } recruiters { ${entity} }
            sources { id title } claims { ${claim} } conflicts { id } } } }`,
          { id },
          { key },
        );
        expect(res.errors).toBeUndefined();
        // The victim, and the events with everything the steps read of them: two statements, sent together.
        expect(res.extensions!.cypherRoundTrips).toBe(2);
        const steps = res.data.traceVictim.steps as { event: { id: string } }[];
        const reference = await t.graphql<any>(
          `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Event { id compound { id name } fromCompound { id name } toCompound { id name }
            participants { role entity { ${entity} } } sources { id title } claims { ${claim} } } } }`,
          { ids: steps.map((step) => step.event.id) },
          { key },
        );
        expect(reference.errors).toBeUndefined();
        const expected = (reference.data.nodes as Ref[]).map((e) => {
          const withRole = (r: string) => e.participants.filter((p) => p.role === r).map((p) => p.entity);
          return {
            event: { id: e.id },
            compound: e.compound,
            fromCompound: e.fromCompound,
            toCompound: e.toCompound,
            sellers: withRole('SELLER'),
            buyers: withRole('BUYER'),
            brokers: withRole('BROKER'),
            recruiters: withRole('RECRUITER'),
            sources: e.sources,
            claims: e.claims,
            conflicts: e.claims.filter((c) => c.disputed).map((c) => ({ id: c.id })),
          };
        });
        expect(steps).toEqual(expected);
        for (const step of expected) checked.push({ ...step, compounds: [step.compound, step.fromCompound, step.toCompound].filter(Boolean) });
      }
      // Not a comparison of empty lists: the chains have compounds, sellers, buyers, sources and conflicts.
      expect({
        compounds: checked.flatMap((s) => s.compounds).length > 3,
        sold: checked.some((s) => s.sellers.length > 0 && s.buyers.length > 0),
        sourced: checked.every((s) => s.sources.length > 0),
        conflicts: checked.some((s) => s.conflicts.length > 0),
      }).toEqual({ compounds: true, sold: true, sourced: true, conflicts: true });
    },
  );

  it('answers the nested list in one statement, and a level past the plan with its own statements', async () => {
    const nested = await t.graphql(`{ compounds(first: 100) { nodes { id operators { other { id
      ... on Organisation { members { other { id events { event { id } } } } } } } } } }`);
    expect(nested.errors).toBeUndefined();
    expect(nested.extensions!.cypherRoundTrips).toBe(1);
    const deeper = await t.graphql(`{ compounds(first: 100) { nodes { id operators { other { id
      ... on Organisation { members { other { id ... on Person { organisations { other { id
        ... on Organisation { compounds { other { id } } } } } } } } } } } } } }`);
    expect(deeper.errors).toBeUndefined();
    // compounds is a fourth level below the list's rows: one statement for the list and three levels, one for the fourth.
    expect(deeper.extensions!.cypherRoundTrips).toBe(2);
  });

  it('keeps one relation field asked with different selections apart (records of the other end projected, and whole)', async () => {
    const res = await t.graphql<any>(`{ persons(first: 100, orderBy: { field: ID }) { nodes { id
      bare: compounds { other { id } } whole: compounds { other { id ... on Compound { location { latitude longitude } } } } } }
      compounds(first: 100) { nodes { id location { latitude longitude } } } }`);
    expect(res.errors).toBeUndefined();
    const locations = new Map(res.data.compounds.nodes.map((c: { id: string; location: unknown }) => [c.id, c.location]));
    const seen = res.data.persons.nodes.flatMap((p: { whole: { other: { id: string; location: unknown } }[] }) => p.whole.map((r) => r.other));
    expect(seen.filter((c: { location: unknown }) => c.location !== null).length).toBeGreaterThan(0);
    for (const compound of seen) expect([compound.id, compound.location]).toEqual([compound.id, locations.get(compound.id)]);
  });

  it('reads arguments from variables and keeps aliases with different arguments apart', async () => {
    const query = `query($first: Int, $kinds: [EventKind!]) { persons(first: 100, orderBy: { field: ID }) { nodes { id
      few: events(first: $first, kinds: $kinds) { event { id kind } } many: events(first: 100) { event { id kind } } } } }`;
    const res = await t.graphql<{ persons: { nodes: { id: string; few: { event: { kind: string } }[]; many: unknown[] }[] } }>(
      query,
      { first: 1, kinds: ['TRANSFER'] },
      { key: keys.investigator! },
    );
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.cypherRoundTrips).toBe(1);
    const people = res.data!.persons.nodes;
    expect(people.some((p) => p.many.length > 1)).toBe(true);
    expect(people.some((p) => p.few.length === 1)).toBe(true);
    for (const person of people) {
      expect(person.few.length).toBeLessThanOrEqual(1);
      person.few.forEach((few) => expect(few.event.kind).toBe('TRANSFER'));
    }
  });

  it('plans the same operation anew for other variables, and again in one statement when the first come back', async () => {
    // Plans are kept per operation and set of variables (src/common/prefetch.ts): a plan kept for other variables
    // would prime the loaders of other arguments, and the fields would fetch for themselves (more round trips).
    const query = `query($first: Int, $kinds: [EventKind!]) { persons(first: 100, orderBy: { field: ID }) { nodes { id
      events(first: $first, kinds: $kinds) { event { id kind } } } } }`;
    type Answer = { persons: { nodes: { id: string; events: { event: { kind: string } }[] }[] } };
    const key = keys.investigator!;
    for (const [variables, most] of [
      [{ first: 1, kinds: ['TRANSFER'] }, 1],
      [{ first: 3, kinds: null }, 3],
      [{ first: 1, kinds: ['TRANSFER'] }, 1],
      [{ first: 3, kinds: null }, 3],
    ] as const) {
      const res = await t.graphql<Answer>(query, variables, { key });
      expect([variables, res.errors, res.extensions!.cypherRoundTrips]).toEqual([variables, undefined, 1]);
      const counts = res.data!.persons.nodes.map((person) => person.events.length);
      expect([variables, Math.max(...counts)]).toEqual([variables, most]);
      const kinds = new Set(res.data!.persons.nodes.flatMap((person) => person.events.map((e) => e.event.kind)));
      expect([variables, kinds.size > 1]).toEqual([variables, variables.kinds === null]);
    }
  });

  it('answers the same, errors included, with graphql-js execution as with compiled execution (src/execution.ts)', async () => {
    // A second server on the same database, interpreting operations with graphql-js instead of graphql-jit.
    const interpreted = await startTestServer({ wipe: false, env: { TG_MAX_COST: '1000000000', TG_AUTH_CACHE_MS: '300000', TG_COMPILED_EXECUTION: 'false' } });
    try {
      const queries = [
        ...CASES.map(([, list, , selection]) => `{ ${list}(first: 100, orderBy: { field: ID }) { totalCount nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`),
        `{ compounds(first: 5) { nodes { id operators { other { id events(first: 9999) { event { id } } } } } } }`,
        `{ node(id: "compound") { id } }`,
        `{ search(query: "Prince", first: 5) { totalCount edges { score node { id __typename ... on Organisation { name } } } } }`,
        `{ traceVictim(id: "person:demo-victim-0001") { victim { id name pseudonym } steps { index kind date compound { id } } gaps { kind } } }`,
      ];
      for (const role of ROLES) {
        const key = keys[role];
        for (const query of queries) {
          const compiled = await t.graphql(query, {}, key ? { key } : {});
          const reference = await interpreted.graphql(query, {}, key ? { key } : {});
          expect([role, query, compiled.errors, compiled.data]).toEqual([role, query, reference.errors, reference.data]);
        }
      }
    } finally {
      await interpreted.close();
    }
  });

  it('leaves a bad argument deep in the selection to its resolver, which names it', async () => {
    const res = await t.graphql(`{ compounds(first: 5) { nodes { id operators { other { id events(first: 9999) { event { id } } } } } } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('"first"');
  });
});

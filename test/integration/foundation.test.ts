import { startTestServer, type TestServer } from '../helpers/testServer';
import { createServer } from '../../src/server';
import { createDriver } from '../../src/db/driver';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { findFreePort } from '../../src/db/localNeo4j';

describe('the server on a real Neo4j', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers { __typename }', async () => {
    const res = await t.graphql('{ __typename }');
    expect(res).toEqual({ status: 200, data: { __typename: 'Query' }, extensions: { cypherRoundTrips: 0 } });
  });

  it('answers /health with 200', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 in the JSON error shape for anything not served, under /saved and /export too', async () => {
    for (const [method, path] of [['GET', '/nothing-here'], ['GET', '/saved/'], ['POST', '/saved/compoundsInCountry'], ['DELETE', '/export/network']] as const) {
      const res = await fetch(`${t.url}${path}`, { method });
      expect([method, path, res.status, res.headers.get('content-type')]).toEqual([method, path, 404, 'application/json; charset=utf-8']);
      expect(await res.json()).toEqual({ errors: [{ message: `Nothing is served at ${method} ${path}.`, extensions: { code: 'NOT_FOUND' } }] });
    }
  });

  it('answers /ready with 200 while Neo4j answers', async () => {
    const res = await fetch(`${t.url}/ready`);
    expect(res.status).toBe(200);
  });

  it('rejects a malformed id with BAD_USER_INPUT naming the argument', async () => {
    const res = await t.graphql('{ node(id: "not an id") { id } }');
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect(res.errors?.[0]?.message).toContain('"id"');
  });

  it('refuses variables that do not fit the operation with BAD_USER_INPUT and status 400, as graphql-js execution does', async () => {
    const res = await t.graphql('query($q: String!) { search(query: $q) { totalCount } }', { q: 5 });
    expect(res).toEqual({
      status: 400,
      errors: [
        {
          message: 'Variable "$q" got invalid value 5; String cannot represent a non string value: 5',
          locations: [{ line: 1, column: 7 }],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
      extensions: { cypherRoundTrips: 0 },
    });
    // Operations run compiled by graphql-jit (src/execution.ts); a second server interprets them with graphql-js.
    const interpreted = await startTestServer({ wipe: false, env: { TG_COMPILED_EXECUTION: 'false' } });
    try {
      const cases: [string, Record<string, unknown>][] = [
        ['query($q: String!) { search(query: $q) { totalCount } }', {}],
        ['query($q: String!) { search(query: $q) { totalCount } }', { q: null }],
        ['query($q: String!) { search(query: $q) { totalCount } }', { q: ['Prince'] }],
        ['query($f: Int) { persons(first: $f) { totalCount } }', { f: '3' }],
        ['query($f: Int) { persons(first: $f) { totalCount } }', { f: 2 ** 40 }],
        ['query($k: [EventKind!]) { events(filter: { kinds: $k }) { totalCount } }', { k: ['TRANSFER', 'NOPE', null] }],
        ['query($d: Date) { events(filter: { from: $d }) { totalCount } }', { d: 'last tuesday' }],
        ['query($f: PersonFilter) { persons(filter: $f) { totalCount } }', { f: { nameContains: 'x', surname: 'y' } }],
        ['query($a: ID!, $b: Int!) { node(id: $a) { id } persons(first: $b) { totalCount } }', { a: 1.5 }],
      ];
      for (const [query, variables] of cases) {
        const compiled = await t.graphql(query, variables);
        const reference = await interpreted.graphql(query, variables);
        expect([query, variables, compiled]).toEqual([query, variables, reference]);
        expect([query, variables, compiled.status, compiled.data]).toEqual([query, variables, 400, undefined]);
        for (const error of compiled.errors ?? []) {
          expect([query, variables, error.extensions?.code]).toEqual([query, variables, 'BAD_USER_INPUT']);
          expect(error.message).toMatch(/^Variable "\$[a-z]+" /);
        }
      }
    } finally {
      await interpreted.close();
    }
  });

  it('refuses an operation name the document does not define, and malformed persisted-query extensions, with HTTP 400', async () => {
    const post = async (body: unknown) => {
      const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
    };
    const refusal = async (body: unknown) => {
      const { status, body: answer } = await post(body);
      return [status, answer.errors?.map((error) => [error.extensions?.code, error.message])];
    };
    expect(await refusal({ query: 'query A { __typename }', operationName: 'B' })).toEqual([400, [['OPERATION_RESOLUTION_FAILURE', 'Unknown operation named "B".']]]);
    expect(await refusal({ query: '{ __typename }', operationName: '' })).toEqual([400, [['OPERATION_RESOLUTION_FAILURE', 'Unknown operation named "".']]]);
    expect(await refusal({ query: 'query A { __typename } query B { __typename }' })).toEqual([
      400,
      [['OPERATION_RESOLUTION_FAILURE', 'Must provide operation name if query contains multiple operations.']],
    ]);
    expect(await refusal({ extensions: { persistedQuery: { version: 2, sha256Hash: 'deadbeef' } } })).toEqual([400, [['BAD_REQUEST', 'Unsupported persisted query version']]]);
    expect(await refusal({ extensions: { persistedQuery: 'x' } })).toEqual([400, [['BAD_REQUEST', 'Unsupported persisted query version']]]);
    expect(await refusal({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } })).toEqual([
      400,
      [['BAD_REQUEST', 'provided sha does not match query']],
    ]);
    // The operation is still picked by name when it exists.
    expect((await post({ query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' })).body).toMatchObject({ data: { b: 'Query' } });
  });

  it('answers null for a well-formed id that names nothing', async () => {
    const res = await t.graphql('{ node(id: "person:nobody") { id } }');
    expect(res.data).toEqual({ node: null });
    expect(res.errors).toBeUndefined();
  });

  it('rejects an unknown API key with UNAUTHENTICATED and status 401, not a downgrade to public', async () => {
    const res = await t.graphql('{ __typename }', {}, { key: 'tg_this-key-does-not-exist-000000' });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeUndefined();
  });

  it('answers 401 to an empty or key-less Authorization header, which is not the public', async () => {
    for (const authorization of ['', 'Bearer ', 'Bearer']) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect([authorization, response.status, body.errors?.[0]?.extensions?.code]).toEqual([authorization, 401, 'UNAUTHENTICATED']);
    }
  });
});

describe('/ready when Neo4j does not answer', () => {
  it('answers 503', async () => {
    const deadPort = await findFreePort();
    const config = loadConfig({ NODE_ENV: 'test', NEO4J_URI: `bolt://127.0.0.1:${deadPort}` });
    const driver = createDriver({ uri: config.neo4jUri!, acquisitionTimeoutMs: 1000 });
    const server = await createServer({ config, driver, logger: createLogger(config) });
    const port = await server.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(res.status).toBe(503);
      const gql = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ compounds { totalCount } }' }),
      });
      const body = (await gql.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await server.stop();
      await driver.close();
    }
  });
});

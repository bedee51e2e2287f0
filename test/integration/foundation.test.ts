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

  it('answers /ready with 200 while Neo4j answers', async () => {
    const res = await fetch(`${t.url}/ready`);
    expect(res.status).toBe(200);
  });

  it('rejects a malformed id with BAD_USER_INPUT naming the argument', async () => {
    const res = await t.graphql('{ node(id: "not an id") { id } }');
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect(res.errors?.[0]?.message).toContain('"id"');
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

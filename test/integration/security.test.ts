import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { serverAudits } from 'graphql-http';
import {
  execute,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { createServer } from '../../src/server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createSchema, loadTypeDefs, resolvers } from '../../src/schema';
import { applyAuthPolicy, authPolicy, requiredRole } from '../../src/auth/authDirective';
import { ROLES, hasRole, type Role } from '../../src/auth/viewer';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/** Starts a second server on the test server's driver with other settings (no reseeding). */
async function extraServer(t: TestServer, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', NEO4J_URI: process.env.NEO4J_TEST_URI, ...env });
  const server = await createServer({ config, driver: t.driver, logger: createLogger(config) });
  const port = await server.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() };
}

/** A raw POST to /graphql; returns status, headers and the parsed (or raw) body. */
async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

async function nodeCount(t: TestServer): Promise<number> {
  const [row] = await t.cypher<{ n: number }>('MATCH (n) RETURN count(n) AS n');
  return row!.n;
}

describe('GraphQL over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
  });
  afterAll(() => t.close());

  it('passes every MUST and SHOULD of the graphql-http server audits against the live server', async () => {
    const audits = serverAudits({ url: `${t.url}/graphql` });
    const results = [];
    for (const audit of audits) results.push(await audit.fn());
    const failed = results.filter((r) => r.status !== 'ok' && /^(MUST|SHOULD) /.test(r.name)).map((r) => `${r.id} ${r.name}`);
    expect(failed).toEqual([]);
    // The only audits not passed are MAYs about GET requests with no preflight header, which CSRF prevention blocks.
    const notices = results.filter((r) => r.status !== 'ok').map((r) => r.id);
    expect(notices.sort()).toEqual(['5A70', '6A70', 'D6D5']);
    expect(results.length).toBeGreaterThan(40);
  });

  it('answers GET queries that carry a preflight header, with application/graphql-response+json when asked', async () => {
    const query = encodeURIComponent('{ compounds { totalCount } }');
    const res = await fetch(`${t.url}/graphql?query=${query}`, {
      headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/graphql-response+json');
    // An answer depends on who asks: no cache may keep it.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as any).data).toEqual({ compounds: { totalCount: 6 } });
  });

  it('blocks a simple cross-site request (CSRF prevention): a text/plain POST and a GET without a preflight header', async () => {
    const plain = await post(t.url, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(plain.text).toContain('Cross-Site Request Forgery');
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Cross-Site Request Forgery');
  });
});

describe('authorization, declared with @auth next to the schema', () => {
  let t: TestServer;
  const keys: Partial<Record<Role, string>> = {};
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
    for (const role of ['admin', 'investigator', 'journalist'] as const) keys[role] = await t.keyFor(role);
  });
  afterAll(() => t.close());

  it('covers every field of the schema, with auditLog for admins only and writes for investigators and up', () => {
    const schema = createSchema();
    const policy = authPolicy(schema);
    expect(policy.size).toBeGreaterThan(100);
    expect(policy.get('Query.auditLog')).toBe('admin');
    expect(policy.get('AuditEntry.victimIds')).toBe('admin');
    expect(policy.get('Query.persons')).toBe('public');
    const mutationFields = Object.keys(schema.getMutationType()?.getFields() ?? {});
    for (const field of mutationFields) expect(hasRole({ role: policy.get(`Mutation.${field}`)!, keyId: null, keyName: null }, 'investigator')).toBe(true);
  });

  it('makes a new Mutation field without @auth need the investigator role', async () => {
    const hasMutation = createSchema().getMutationType() !== undefined && createSchema().getMutationType() !== null;
    const schema = applyAuthPolicy(
      makeExecutableSchema({
        typeDefs: [loadTypeDefs(), `${hasMutation ? 'extend ' : ''}type Mutation { testWrite: Int }`],
        resolvers: [resolvers as never, { Mutation: { testWrite: () => 42 } }],
      }),
    );
    expect(requiredRole(schema, 'Mutation', 'testWrite')).toBe('investigator');
    const run = (role: Role) =>
      execute({
        schema,
        document: parse('mutation { testWrite }'),
        contextValue: { viewer: { role, keyId: null, keyName: null } },
      });
    const answers = await Promise.all(ROLES.map(async (role) => [role, await run(role)] as const));
    const outcome = Object.fromEntries(answers.map(([role, r]) => [role, r.errors ? r.errors[0]!.extensions.code : r.data!.testWrite]));
    expect(outcome).toEqual({ admin: 42, investigator: 42, journalist: 'FORBIDDEN', public: 'FORBIDDEN' });
  });

  it('answers auditLog with FORBIDDEN below admin, and with the log for an admin', async () => {
    const query = '{ auditLog(first: 5) { totalCount edges { node { at role victimIds operation } } } }';
    for (const key of [undefined, keys.journalist, keys.investigator]) {
      const res = await t.graphql(query, {}, { key });
      expect(res.data).toBeNull();
      expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['FORBIDDEN', 'Query.auditLog needs the admin role or a stronger one.'],
      ]);
    }
    const [row] = await t.cypher<{ n: number }>('MATCH (a:AuditEntry) RETURN count(a) AS n');
    const res = await t.graphql(query, {}, { key: keys.admin });
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditLog.totalCount).toBe(row!.n);
  });

  it('rejects a malformed header with 401 UNAUTHENTICATED', async () => {
    const malformed = await post(t.url, JSON.stringify({ query: '{ __typename }' }), { authorization: 'Basic abc' });
    expect([malformed.status, malformed.json.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('API keys are remembered for TG_AUTH_CACHE_MS, and a revoked key stops working within it', () => {
  const revoke = (t: TestServer, name: string) =>
    t.cypher('MATCH (k:ApiKey) WHERE k.name = $name SET k.revokedAt = $now', { name, now: new Date().toISOString() });

  it('reads a key once, then serves it from memory until it expires; revoked, it is refused within the cache time', async () => {
    const t = await startTestServer({ env: { TG_AUTH_CACHE_MS: '1000' } });
    try {
      const key = await t.keyFor('journalist');
      const first = await t.graphql('{ __typename }', {}, { key });
      // The key read, and the first use stamped on it.
      expect([first.status, first.extensions?.cypherRoundTrips]).toEqual([200, 2]);
      const second = await t.graphql('{ __typename }', {}, { key });
      expect([second.status, second.extensions?.cypherRoundTrips]).toEqual([200, 0]);

      await revoke(t, 'test journalist');
      const revokedAt = Date.now();
      let refusedAfter: number | undefined;
      while (Date.now() - revokedAt < 3000) {
        const res = await t.graphql('{ __typename }', {}, { key });
        if (res.status === 401) {
          expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
          refusedAfter = Date.now() - revokedAt;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(refusedAfter).toBeDefined();
      expect(refusedAfter).toBeLessThanOrEqual(1000 + 200);
      // Once refused, it stays refused: unknown and revoked keys are never remembered.
      for (let i = 0; i < 3; i += 1) expect((await t.graphql('{ __typename }', {}, { key })).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('with TG_AUTH_CACHE_MS=0, reads the key on every request and refuses a revoked key at once', async () => {
    const t = await startTestServer({ env: { TG_AUTH_CACHE_MS: '0' } });
    try {
      const key = await t.keyFor('journalist');
      expect((await t.graphql('{ __typename }', {}, { key })).status).toBe(200);
      const again = await t.graphql('{ __typename }', {}, { key });
      expect([again.status, again.extensions?.cypherRoundTrips]).toEqual([200, 1]);
      await revoke(t, 'test journalist');
      const revoked = await t.graphql('{ __typename }', {}, { key });
      expect([revoked.status, revoked.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    } finally {
      await t.close();
    }
  });
});

describe('npm run keys', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Revocation is asserted at once, so this server reads the key on every request.
    t = await startTestServer({ env: { TG_AUTH_CACHE_MS: '0' } });
  });
  afterAll(() => t.close());

  const keysCli = (...args: string[]) =>
    execFileAsync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/bin/keys.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        NEO4J_URI: process.env.NEO4J_TEST_URI,
        ...(process.env.NEO4J_TEST_USERNAME ? { NEO4J_USERNAME: process.env.NEO4J_TEST_USERNAME, NEO4J_PASSWORD: process.env.NEO4J_TEST_PASSWORD } : {}),
      },
    });

  it('creates a key that works, lists it with its last use, and revokes it', async () => {
    const created = await keysCli('create', '--role', 'investigator', '--name', 'CLI test');
    const key = created.stdout.trim();
    expect(key).toMatch(/^tg_[A-Za-z0-9_-]{32}$/);
    const id = /Created investigator key (key_[0-9a-f]+)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    const [stored] = await t.cypher('MATCH (k:ApiKey {id: $id}) RETURN k.hash AS hash, k.role AS role, k.name AS name, k.lastUsedAt AS lastUsedAt', { id });
    expect(stored).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), role: 'investigator', name: 'CLI test', lastUsedAt: null });
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await t.graphql('{ __typename }', {}, { key })).status).toBe(200);
    const listed = await keysCli('list');
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('CLI test');
    expect(listed.stdout).not.toContain('never');

    const revoked = await keysCli('revoke', id!);
    expect(revoked.stdout.trim()).toBe(`Revoked ${id}.`);
    expect((await t.graphql('{ __typename }', {}, { key })).status).toBe(401);
  });

  it('refuses a bad role, naming it and the valid ones', async () => {
    await expect(keysCli('create', '--role', 'boss')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--role must be one of admin, investigator, journalist, public (got "boss")'),
    });
    await expect(keysCli('revoke', 'key_doesnotexist')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no API key with id "key_doesnotexist"'),
    });
  });
});

describe('limits and hostile clients', () => {
  let t: TestServer;
  let journalist: string;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
    journalist = await t.keyFor('journalist');
  });
  afterAll(() => t.close());

  const rejected = (res: { status: number; json: any }) => ({
    status: res.status,
    codes: (res.json?.errors ?? []).map((e: any) => e.extensions?.code),
    data: res.json?.data,
  });

  it('rejects deep nesting, naming the depth limit', async () => {
    let selection = 'id';
    for (let i = 0; i < 20; i += 1) selection = `relations { other { id ${selection === 'id' ? '' : `... on Person { ${selection} }`} } }`;
    const res = await post(t.url, JSON.stringify({ query: `{ persons { nodes { ${selection} } } }` }));
    expect(rejected(res).status).toBe(400);
    expect(new Set(rejected(res).codes)).toEqual(new Set(['BAD_USER_INPUT']));
    expect(res.json.errors.map((e: any) => e.message)).toContainEqual(expect.stringMatching(/^Syntax Error: Query depth limit of 12 exceeded, found \d+\.$/));
  });

  it('rejects an alias flood, naming the alias limit', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: compounds { totalCount }`).join(' ');
    const res = await post(t.url, JSON.stringify({ query: `{ ${aliases} }` }));
    expect(rejected(res)).toEqual({ status: 400, codes: ['BAD_USER_INPUT'], data: undefined });
    expect(res.json.errors[0].message).toBe('Syntax Error: Aliases limit of 15 exceeded, found 200.');
  });

  it('rejects fragment cycles', async () => {
    const query = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    const res = await post(t.url, JSON.stringify({ query }));
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: any) => e.extensions.code)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(res.json.errors.map((e: any) => e.message)).toContain('Cannot spread fragment "A" within itself via "B".');
  });

  it('rejects a directive flood, a token flood and an expensive query, each naming its limit', async () => {
    const directives = await post(t.url, JSON.stringify({ query: `{ __typename ${'@include(if: true) '.repeat(40)}}` }));
    expect(rejected(directives).status).toBe(400);
    expect(directives.json.errors.map((e: any) => e.message)).toContain('Syntax Error: Directives limit of 20 exceeded, found 40.');

    const tokens = await post(t.url, JSON.stringify({ query: `{ ${'__typename '.repeat(3000)}}` }));
    expect(rejected(tokens)).toEqual({ status: 400, codes: ['GRAPHQL_PARSE_FAILED'], data: undefined });
    // (graphql-js spells it "more that")
    expect(tokens.json.errors[0].message).toMatch(/^Syntax Error: Document contains more tha[nt] 2000 tokens\. Parsing aborted\.$/);

    const wide = 'id name aliases roles isVictim pseudonym ageBand nationality gender birthDate position description topics dataset synthetic';
    const person = `... on Person { ${wide} relations { id type start end position other { id name } } }`;
    const expensive = Array.from({ length: 10 }, (_, i) => `e${i}: events(first: 100) { nodes { participants { entity { ${person} } } } }`).join(' ');
    const cost = await post(t.url, JSON.stringify({ query: `{ ${expensive} }` }));
    expect(rejected(cost)).toEqual({ status: 400, codes: ['BAD_USER_INPUT'], data: undefined });
    expect(cost.json.errors[0].message).toMatch(/Query Cost limit of 25000 exceeded, found \d+\./);
  });

  it('hides field suggestions', async () => {
    const res = await post(t.url, JSON.stringify({ query: '{ compoundz { totalCount } }' }));
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: any) => e.message)).toEqual(['Cannot query field "compoundz" on type "Query". [Suggestion hidden]?']);
    expect(res.text).not.toMatch(/Did you mean|"compounds"/);
  });

  it('rejects huge lists and pages with BAD_USER_INPUT, whether inline or in variables', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `person:x${i}`);
    const viaVariables = await post(t.url, JSON.stringify({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } }));
    expect(rejected(viaVariables)).toEqual({ status: 200, codes: ['BAD_USER_INPUT'], data: null });
    const inline = await post(t.url, JSON.stringify({ query: `{ nodes(ids: ${JSON.stringify(ids.slice(0, 500))}) { id } }` }));
    expect(rejected(inline)).toEqual({ status: 200, codes: ['BAD_USER_INPUT'], data: null });
    const page = await post(t.url, JSON.stringify({ query: '{ persons(first: 1000) { totalCount } }' }));
    expect(rejected(page)).toEqual({ status: 200, codes: ['BAD_USER_INPUT'], data: null });
    // A page size that large is refused earlier still, by the cost limit (list size counts in the cost).
    const huge = await post(t.url, JSON.stringify({ query: '{ persons(first: 1000000) { totalCount } }' }));
    expect(rejected(huge)).toEqual({ status: 400, codes: ['BAD_USER_INPUT'], data: undefined });
    expect(huge.json.errors[0].message).toBe('Syntax Error: Query Cost limit of 25000 exceeded, found 3500000.');
  });

  it('rejects batched array bodies with 400', async () => {
    const batch = Array.from({ length: 50 }, () => ({ query: '{ compounds { totalCount } }' }));
    const res = await post(t.url, JSON.stringify(batch));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Operation batching disabled.');
  });

  it('answers an oversized body with 413 and a message naming the limit, and malformed JSON with 400', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } });
    const res = await post(t.url, big);
    expect([res.status, res.json]).toEqual([
      413,
      { errors: [{ message: 'The request body is larger than the limit of 100kb.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
    ]);
    const bad = await post(t.url, '{"query": "{ __typename }"');
    expect([bad.status, bad.json]).toEqual([400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] }]);
  });

  it('refuses a body whose bytes are not UTF-8, plain or compressed, rather than reading replacement characters into it', async () => {
    // "Kokang" with a lone 0xFF byte in it: decoded as it was, it searched for "Kok\uFFFDang" and answered 200.
    const body = Buffer.concat([Buffer.from('{"query": "{ search(query: \\"Kok'), Buffer.from([0xff]), Buffer.from('ang\\") { totalCount } }"}')]);
    const refused = { errors: [{ message: 'The request body is not valid UTF-8.', extensions: { code: 'BAD_REQUEST' } }] };
    const plain = await post(t.url, body);
    expect([plain.status, plain.json]).toEqual([400, refused]);
    const gzipped = await post(t.url, gzipSync(body), { 'content-encoding': 'gzip' });
    expect([gzipped.status, gzipped.json]).toEqual([400, refused]);
    // The same request with valid bytes is answered.
    const valid = await post(t.url, Buffer.from(body.toString('latin1').replace('\u00ff', ''), 'latin1'));
    expect([valid.status, valid.json.data.search.totalCount >= 0]).toEqual([200, true]);
  });

  it('answers injection strings in every string argument harmlessly: no internal error, no change to the graph', async () => {
    const before = await nodeCount(t);
    const injections = [
      "' }) MATCH (n) DETACH DELETE n //",
      '") DETACH DELETE n RETURN 1 //',
      '*:*',
      'name:* OR id:*',
      '\\" OR 1=1 --',
      '`Person`) DETACH DELETE (n',
      'person:demo-victim-0001\u0000',
    ];
    const schema = createSchema();
    const operations = stringArgumentOperations(schema);
    expect(operations.length).toBeGreaterThan(15);
    const codes = new Set<string>();
    for (const operation of operations) {
      for (const value of injections) {
        for (const key of [value.length % 2 ? undefined : journalist]) {
          const res = await t.graphql(operation.query, operation.variables(value), { key });
          for (const error of res.errors ?? []) codes.add(error.extensions?.code);
          // 400 when a variable does not coerce (a Date that is no date), 200 otherwise; never a 500.
          expect({ operation: operation.query, value, internal: (res.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR') }).toEqual({
            operation: operation.query,
            value,
            internal: [],
          });
          expect([200, 400]).toContain(res.status);
        }
      }
    }
    // Rejected input, an unknown id, or a field the caller's role may not use: all harmless answers.
    expect([...codes].filter((code) => !['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN'].includes(code))).toEqual([]);
    expect(await nodeCount(t)).toBe(before);
    const normal = await t.graphql('{ compounds { totalCount } }');
    expect(normal.data).toEqual({ compounds: { totalCount: 6 } });
  });
});

describe('rate limits, introspection and error masking (separately configured servers)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a key spends its quota, counting each key and each address apart', async () => {
    const extra = await extraServer(t, { TG_RATE_LIMIT: '3', TG_RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      const [a, b] = [await t.keyFor('journalist'), await t.keyFor('journalist')];
      const send = (key?: string) => post(extra.url, JSON.stringify({ query: '{ __typename }' }), key ? { authorization: `Bearer ${key}` } : {});
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await send(a)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await send(a);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited.json).toEqual({
        errors: [
          {
            message: 'Too many requests: at most 3 every 60 s per API key (or per address without a key). Retry after the time in the Retry-After header.',
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
      expect((await send(b)).status).toBe(200);
      expect((await send()).status).toBe(200);
    } finally {
      await extra.stop();
    }
  });

  it('turns introspection off when TG_INTROSPECTION=false (it is on outside production by default)', async () => {
    const query = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    expect((await post(t.url, query)).json.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const extra = await extraServer(t, { TG_INTROSPECTION: 'false' });
    try {
      const res = await post(extra.url, query);
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/introspection is not allowed/i);
    } finally {
      await extra.stop();
    }
  });

  it('masks a Neo4j error: no driver text, database name, Cypher or stack reaches the client', async () => {
    const extra = await extraServer(t, { NEO4J_DATABASE: 'nosuchdatabase' });
    try {
      const res = await post(extra.url, JSON.stringify({ query: '{ compounds { totalCount } }' }));
      expect(res.json).toEqual({
        data: null,
        errors: [{ message: 'Internal server error', path: ['compounds'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        extensions: { cypherRoundTrips: 1 },
      });
      expect(res.text).not.toMatch(/nosuchdatabase|Neo4j|Neo\.|MATCH|at .*\.ts/);
    } finally {
      await extra.stop();
    }
  });
});

/**
 * One operation per (root Query field, string-typed argument or input field): the string goes in as a
 * variable, every other required argument gets a harmless value. Fields other helpers add are covered too.
 */
function stringArgumentOperations(schema: GraphQLSchema): { query: string; variables: (value: string) => Record<string, unknown> }[] {
  const operations: { query: string; variables: (value: string) => Record<string, unknown> }[] = [];
  const queryType = schema.getQueryType()!;
  for (const field of Object.values(queryType.getFields())) {
    if (field.name === 'auditLog') continue;
    const named = getNamedType(field.type);
    const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
    for (const target of stringTargets(field.args)) {
      const varDefs = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
      const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const query = `query Injection${varDefs ? `(${varDefs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
      operations.push({
        query,
        variables: (value) => {
          const vars: Record<string, unknown> = {};
          for (const arg of field.args) {
            if (arg.name === target.arg) vars[arg.name] = target.wrap(value);
            else if (isNonNullType(arg.type)) vars[arg.name] = harmless(arg.type);
          }
          return vars;
        },
      });
    }
  }
  return operations;
}

/** Every place a string can go in `args`: a String/ID argument, a list of them, or a String/ID field of an input object. */
function stringTargets(args: readonly GraphQLArgument[]): { arg: string; wrap: (value: string) => unknown }[] {
  const targets: { arg: string; wrap: (value: string) => unknown }[] = [];
  for (const arg of args) {
    const nullable = getNullableType(arg.type) as GraphQLInputType;
    const named = getNamedType(arg.type);
    if (isScalarType(named) && ['String', 'ID', 'Date', 'JSON'].includes(named.name)) {
      targets.push({ arg: arg.name, wrap: (v) => (isListType(nullable) ? [v] : v) });
    } else if (isInputObjectType(named) && !isListType(nullable)) {
      for (const inputField of Object.values(named.getFields())) {
        const inner = getNamedType(inputField.type);
        if (isScalarType(inner) && ['String', 'ID', 'Date'].includes(inner.name)) {
          const list = isListType(getNullableType(inputField.type));
          targets.push({ arg: arg.name, wrap: (v) => ({ [inputField.name]: list ? [v] : v }) });
        }
      }
    }
  }
  return targets;
}

function harmless(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [harmless(nullable.ofType as GraphQLInputType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isScalarType(named)) {
    if (named.name === 'ID') return 'person:demo-recruiter-delta';
    if (named.name === 'Int') return 1;
    if (named.name === 'Float') return 1;
    if (named.name === 'Boolean') return false;
    if (named.name === 'Date') return '2024';
    if (named.name === 'JSON') return {};
    return 'delta';
  }
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) if (isNonNullType(field.type)) value[field.name] = harmless(field.type);
    return value;
  }
  return null;
}

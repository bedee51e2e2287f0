import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createServer, type AppServer } from '../../src/server';
import { startTestServer, type TestServer } from '../helpers/testServer';

/** Parses the Prometheus text format into `name{labels}` -> value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`not a sample line: ${line}`);
    samples.set(match[1], Number(match[2]));
  }
  return samples;
}

describe('/metrics and structured logs', () => {
  let t: TestServer;
  let server: AppServer;
  let url: string;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
    // A second server on the same database, logging every statement as slow into memory.
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', NEO4J_URI: process.env.NEO4J_TEST_URI, TG_SLOW_QUERY_MS: '0' });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await createServer({ config, driver: t.driver, logger: pino({ level: 'info' }, sink) });
    url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await server?.stop();
    await t?.close();
  });

  async function post(query: string, requestId?: string): Promise<{ status: number; requestId: string | null; body: any }> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.json() };
  }

  it('counts requests, latencies, GraphQL errors by code and Cypher statements by mode', async () => {
    const ok = [];
    for (let i = 0; i < 3; i += 1) ok.push(await post('{ compounds(first: 5) { totalCount nodes { id name } } }'));
    const bad = await post('{ node(id: "not an id") { id } }');
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/no-such-route`)).status).toBe(404);

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const m = parseMetrics(await res.text());
    const graphqlOk = 'tg_http_requests_total{method="POST",route="/graphql",status="200"}';
    // Four POSTs answered 200 (BAD_USER_INPUT from a resolver keeps 200).
    expect(m.get(graphqlOk)).toBe(4);
    expect(m.get('tg_http_requests_total{method="GET",route="/health",status="200"}')).toBe(1);
    expect(m.get('tg_http_requests_total{method="GET",route="other",status="404"}')).toBe(1);
    expect(m.get('tg_http_request_duration_seconds_count{method="POST",route="/graphql",status="200"}')).toBe(4);
    expect(m.get('tg_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/graphql",status="200"}')).toBe(4);
    expect(m.get('tg_graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
    // Every read the responses reported as a round trip was timed, and nothing else was.
    const roundTrips = [...ok, bad].reduce((sum, r) => sum + (r.body.extensions.cypherRoundTrips as number), 0);
    expect(roundTrips).toBeGreaterThan(0);
    expect(m.get('tg_cypher_statement_duration_seconds_count{mode="READ",outcome="ok"}')).toBe(roundTrips);
    expect(m.get('tg_neo4j_up')).toBe(1);
    expect(m.get('tg_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(m.has('tg_nodejs_eventloop_lag_seconds')).toBe(true);
    const pool = [...m.keys()].filter((k) => k.startsWith('tg_neo4j_pool_connections{'));
    expect(pool.some((k) => k.includes('state="idle"'))).toBe(true);
    expect(pool.some((k) => k.includes('state="in_use"'))).toBe(true);
  });

  it('honours and echoes x-request-id, and logs the request and its slow statements under it', async () => {
    const res = await post('{ compounds(first: 2) { totalCount } }', 'trace-abc.123');
    expect(res.requestId).toBe('trace-abc.123');
    const invented = await post('{ __typename }', 'not a valid id with spaces');
    expect(invented.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mine = logLines.filter((l) => l.requestId === 'trace-abc.123');
    expect(mine.filter((l) => l.msg === 'slow Cypher statement')).toHaveLength(res.body.extensions.cypherRoundTrips as number);
    expect(mine.find((l) => l.msg === 'slow Cypher statement')).toMatchObject({ mode: 'READ', ok: true, level: 40, cypher: expect.stringContaining('MATCH') });
    expect(mine.filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ method: 'POST', path: '/graphql', status: 200, level: 30, ms: expect.any(Number) }),
    ]);
    expect(logLines.filter((l) => l.requestId === invented.requestId && l.msg === 'request')).toHaveLength(1);
  });

  it("makes a request's child logger only when the request logs something", async () => {
    // Quiet below warn, as in production: a request line is not logged, a slow statement is (TG_SLOW_QUERY_MS=0).
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', NEO4J_URI: process.env.NEO4J_TEST_URI, TG_SLOW_QUERY_MS: '0' });
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'warn' }, sink);
    const child = jest.spyOn(logger, 'child');
    const quiet = await createServer({ config, driver: t.driver, logger });
    try {
      const base = `http://127.0.0.1:${await quiet.listen(0, '127.0.0.1')}`;
      const send = (query: string, requestId: string) =>
        fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ query }) });
      // No statement, nothing to log: no child logger (Apollo's copy of the context must not make one either).
      expect((await send('{ __typename }', 'quiet-1')).status).toBe(200);
      expect(child).not.toHaveBeenCalled();
      // A statement logged as slow: one child logger, bound to the request id, for the whole request.
      expect((await send('{ compounds(first: 2) { totalCount nodes { id } } }', 'logged-1')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(child.mock.calls).toEqual([[{ requestId: 'logged-1' }]]);
      expect(lines.filter((l) => l.msg === 'slow Cypher statement').every((l) => l.requestId === 'logged-1')).toBe(true);
      expect(lines.some((l) => l.msg === 'slow Cypher statement')).toBe(true);
    } finally {
      await quiet.stop();
    }
  });
});

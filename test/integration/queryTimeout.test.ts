import express from 'express';
import { GraphQLError } from 'graphql';
import type { Server } from 'node:http';
import { Executor, withoutCallerStack } from '../../src/db/executor';
import { requestContext, requestContextOf } from '../../src/ops/requestContext';
import { RequestCancelledError } from '../../src/ops/cancellation';
import { createLogger } from '../../src/logger';
import { startTestServer, type TestServer } from '../helpers/testServer';

/** A read that runs for a long time (tens of seconds) unless something stops it; used only here. */
const SLOW_READ = { cypher: 'UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 123 RETURN count(*) AS c /* tg-slow-test */', params: {} };

async function slowTransactions(t: TestServer): Promise<number> {
  const rows = await t.cypher<{ n: number }>(
    "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'tg-slow-test' AND NOT currentQuery CONTAINS 'SHOW' RETURN count(*) AS n",
  );
  return rows[0]?.n ?? 0;
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('read timeouts and cancellation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('times a read out after the configured limit with SERVICE_UNAVAILABLE / TIMEOUT', async () => {
    const executor = new Executor(t.driver, { database: 'neo4j', readTimeoutMs: 1000 });
    const started = Date.now();
    const error = await executor.read(SLOW_READ).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(await waitFor(async () => (await slowTransactions(t)) === 0, 3_000)).toBe(true);
  });

  it('answers SERVICE_UNAVAILABLE, not an internal error, when Neo4j ends the transaction (TERMINATE TRANSACTIONS, shutdown)', async () => {
    const executor = new Executor(t.driver, { database: 'neo4j', readTimeoutMs: 60_000 });
    const pending = executor.read(SLOW_READ).catch((e: unknown) => e);
    expect(await waitFor(async () => (await slowTransactions(t)) === 1, 10_000)).toBe(true);
    const terminated = await t.cypher<{ message: string }>(
      "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE currentQuery CONTAINS 'tg-slow-test' AND NOT currentQuery CONTAINS 'SHOW' " +
        'TERMINATE TRANSACTIONS transactionId YIELD message RETURN message',
    );
    expect(terminated).toEqual([{ message: 'Transaction terminated.' }]);
    const error = await pending;
    // No `reason`: the server answers HTTP 503 with Retry-After (src/ops/unavailablePlugin.ts), and the message names no Cypher.
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect((error as GraphQLError).message).toMatch(/ended the query before it finished/);
    // Not retried behind the client's back: an administrator stopped it on purpose.
    expect(executor.roundTrips).toBe(1);
  });

  it('terminates every open transaction of the request in Neo4j when the HTTP client goes away', async () => {
    const app = express();
    const outcome: { error?: unknown } = {};
    app.use(requestContext(createLogger({ logLevel: 'silent' })));
    app.get('/slow', async (_req, res) => {
      const executor = new Executor(t.driver, { database: 'neo4j', readTimeoutMs: 60_000, signal: requestContextOf(res).signal });
      try {
        // Two statements in flight at once, as a request's loaders send them: one abort must stop both.
        res.json(await Promise.all([executor.read(SLOW_READ), executor.read(SLOW_READ)]));
      } catch (error) {
        outcome.error = error;
        if (!res.headersSent) res.status(503).end();
      }
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (server.address() as { port: number }).port;
      const client = new AbortController();
      const request = fetch(`http://127.0.0.1:${port}/slow`, { signal: client.signal }).catch((e: unknown) => e);
      expect(await waitFor(async () => (await slowTransactions(t)) === 2, 10_000)).toBe(true);
      const abortedAt = Date.now();
      client.abort();
      await request;
      // Gone from Neo4j within a second or two, long before its natural end.
      expect(await waitFor(async () => (await slowTransactions(t)) === 0, 3_000)).toBe(true);
      expect(Date.now() - abortedAt).toBeLessThan(3_000);
      expect(await waitFor(async () => outcome.error !== undefined, 3_000)).toBe(true);
      expect(outcome.error).toBeInstanceOf(RequestCancelledError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends a statement without the caller stack neo4j-driver takes for it, and sets the global limit back', async () => {
    const session = t.driver.session();
    const limit = Error.stackTraceLimit;
    try {
      const divide = (): Promise<unknown> => session.run('RETURN 1 / toInteger($zero) AS x', { zero: 0 }).then((result) => result.records);
      // The driver's default: a failed statement's error carries the stack of the code that ran it.
      const plain = (await divide().catch((e: unknown) => e)) as Error & { code: string };
      expect(plain.stack).toContain('queryTimeout.test');
      const lean = (await withoutCallerStack(divide).catch((e: unknown) => e)) as Error & { code: string };
      expect(lean.stack).not.toContain(' at ');
      expect({ message: lean.message, code: lean.code }).toEqual({ message: plain.message, code: plain.code });
      expect(Error.stackTraceLimit).toBe(limit);
      // Set back even when the call throws before it returns.
      expect(() =>
        withoutCallerStack(() => {
          throw new Error('thrown');
        }),
      ).toThrow('thrown');
      expect(Error.stackTraceLimit).toBe(limit);
    } finally {
      await session.close();
    }
  });
});

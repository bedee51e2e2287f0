import fs from 'node:fs';
import http from 'node:http';
import express from 'express';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { loadConfig } from '../src/config';
import { createDriver } from '../src/db/driver';
import { withoutCallerStack } from '../src/db/executor';
import { createLogger } from '../src/logger';
import { createServer } from '../src/server';
import { parseWaves, type Wave } from './lib/recorder';
import { NEO4J_GRAPHQL_TYPE_DEFS } from './lib/neo4jGraphqlSchema';

/**
 * One system under test, in its own process so its memory and CPU are its own:
 *   BENCH_MODE=graphql       the real server (createServer), with production settings (NODE_ENV=production)
 *   BENCH_MODE=raw           POST /raw/NAME replays the statements the resolvers sent for NAME through neo4j-driver
 *   BENCH_MODE=neo4j-graphql @neo4j/graphql 7 over the same database, no auth
 * Prints `{"port": N}` on stdout once it listens.
 */
async function main(): Promise<void> {
  const mode = process.env.BENCH_MODE;
  const config = loadConfig(process.env);
  const driver = createDriver({ uri: config.neo4jUri ?? 'bolt://127.0.0.1:7687' });
  let server: http.Server;
  if (mode === 'graphql') {
    const app = await createServer({ config, driver, logger: createLogger(config) });
    server = app.httpServer;
  } else if (mode === 'raw') {
    const waves = parseWaves(fs.readFileSync(process.env.BENCH_WAVES_FILE ?? '', 'utf8'));
    server = http.createServer((req, res) => {
      // /raw-bookmarks/NAME: the same replay with one bookmark manager per request, as the Executor has.
      const bookmarks = (req.url ?? '').startsWith('/raw-bookmarks/');
      const name = decodeURIComponent((req.url ?? '').replace(/^\/raw(-bookmarks)?\//, ''));
      const plan = waves[name];
      req.resume();
      if (!plan) {
        res.writeHead(404).end();
        return;
      }
      replay(driver, config.neo4jDatabase, plan, bookmarks).then(
        (rows) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows }));
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
        },
      );
    });
  } else if (mode === 'neo4j-graphql') {
    const schema = await new Neo4jGraphQL({ typeDefs: NEO4J_GRAPHQL_TYPE_DEFS, driver }).getSchema();
    const apollo = new ApolloServer({ schema, csrfPrevention: false });
    await apollo.start();
    const app = express();
    app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => ({}) }));
    server = http.createServer(app);
  } else {
    throw new Error(`BENCH_MODE must be graphql, raw or neo4j-graphql (got ${String(mode)})`);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  const stop = (): void => {
    server.close();
    void driver.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

/** Sends each wave's statements in parallel, one session each and reads as auto-commit transactions, as the Executor does; waves in order. */
async function replay(driver: Driver, database: string, plan: Wave[], bookmarks: boolean): Promise<unknown[]> {
  const out: unknown[] = [];
  const bookmarkManager = bookmarks ? neo4j.bookmarkManager() : undefined;
  for (const wave of plan) {
    const results = await Promise.all(
      wave.map(async (statement) => {
        const session = driver.session({
          database,
          defaultAccessMode: statement.mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
          ...(bookmarkManager ? { bookmarkManager } : {}),
        });
        try {
          // As the Executor sends them: a read as an auto-commit transaction, a write in a managed one, both without the
          // caller's stack trace the driver would take for each (src/db/executor.ts, withoutCallerStack), and with the
          // transaction timeout it was sent with (every read: TG_QUERY_TIMEOUT_MS).
          const config = statement.timeoutMs !== undefined ? { timeout: statement.timeoutMs } : undefined;
          if (statement.mode === 'READ') {
            return (await withoutCallerStack(() => session.run(statement.cypher, statement.params, config))).records.map((r) => r.toObject());
          }
          const work = async (tx: ManagedTransaction) =>
            (await withoutCallerStack(() => tx.run(statement.cypher, statement.params))).records.map((r) => r.toObject());
          return await session.executeWrite(work, config);
        } finally {
          await session.close();
        }
      }),
    );
    out.push(results);
  }
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import type { Driver } from 'neo4j-driver';
import { loadConfig, type Config } from '../../src/config';
import { createDriver } from '../../src/db/driver';
import type { Executor } from '../../src/db/executor';
import { migrate } from '../../src/db/migrations';
import { seed, type SeedDataset } from '../../src/ingest/seedDatasets';
import { createLogger } from '../../src/logger';
import { createExecutor, createServer, type AppServer } from '../../src/server';
import { issueApiKey } from '../../src/auth/apiKeys';
import type { Role } from '../../src/auth/viewer';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface TestServer {
  url: string;
  config: Config;
  driver: Driver;
  executor: Executor;
  server: AppServer;
  /** Sends a GraphQL POST through the real HTTP server. */
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: { key?: string }): Promise<GraphQLResponse<T>>;
  /** Issues an API key of `role` and returns it. */
  keyFor(role: Role): Promise<string>;
  /** Runs Cypher directly, for seeding and cross-checking answers. */
  cypher<R = Record<string, any>>(cypher: string, params?: Record<string, unknown>): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Wipes the test database, applies migrations, loads `datasets`, and starts the real server on a free port.
 * With `wipe: false` it serves the database as it is, like a server restarted on the same data.
 *
 *     const t = await startTestServer({ datasets: ['demo'] });
 *     const res = await t.graphql('{ __typename }');
 */
export async function startTestServer(
  options: { datasets?: SeedDataset[]; env?: Record<string, string>; wipe?: boolean } = {},
): Promise<TestServer> {
  const uri = process.env.NEO4J_TEST_URI;
  if (!uri) throw new Error('NEO4J_TEST_URI is not set: run the tests through jest (globalSetup starts Neo4j)');
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', NEO4J_URI: uri, ...options.env });
  const driver = createDriver({ uri, username: process.env.NEO4J_TEST_USERNAME, password: process.env.NEO4J_TEST_PASSWORD });
  const executor = createExecutor(driver, config);
  if (options.wipe !== false) {
    await wipeDatabase(executor);
    await migrate(executor);
    if (options.datasets?.length) await seed(executor, options.datasets);
  }
  const server = await createServer({ config, driver, logger: createLogger(config) });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    config,
    driver,
    executor,
    server,
    graphql: async (query, variables, opts) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts?.key ? { authorization: `Bearer ${opts.key}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      return { ...body, status: response.status } as never;
    },
    keyFor: async (role) => (await issueApiKey(executor, role, `test ${role}`)).key,
    cypher: (cypher, params = {}) => executor.write({ cypher, params }) as never,
    close: async () => {
      await server.stop();
      await driver.close();
    },
  };
}

/** Deletes every node and relationship, in batches so a large graph does not exhaust the heap. */
export async function wipeDatabase(executor: Executor): Promise<void> {
  for (;;) {
    const [row] = await executor.write<{ deleted: number }>({
      cypher: 'MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted',
      params: {},
    });
    if (!row || row.deleted === 0) break;
  }
}

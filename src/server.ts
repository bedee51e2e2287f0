import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Driver } from 'neo4j-driver';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from './config';
import type { GraphContext } from './context';
import type { Logger } from './logger';
import { Executor } from './db/executor';
import { createLoaders } from './loaders';
import { authenticate } from './auth/apiKeys';
import { recordIdentityReads } from './auth/audit';
import { createSchema } from './schema';
import { createArmor } from './security/armor';
import { createRateLimiter } from './security/rateLimit';
import { bodyErrorHandler } from './security/bodyErrors';

export interface ServerDependencies {
  config: Config;
  driver: Driver;
  logger: Logger;
}

export interface AppServer {
  app: Express;
  httpServer: http.Server;
  apollo: ApolloServer<GraphContext>;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** Drains HTTP and stops Apollo. The driver is the caller's to close. */
  stop(): Promise<void>;
}

/** A new executor for one unit of work, with the configured database and read timeout. */
export function createExecutor(driver: Driver, config: Config, logger?: Logger): Executor {
  return new Executor(driver, {
    database: config.neo4jDatabase,
    readTimeoutMs: config.queryTimeoutMs,
    onStatement: ({ mode, ms, ok }) => {
      if (ms > 1000) logger?.warn({ mode, ms: Math.round(ms), ok }, 'slow Cypher statement');
    },
  });
}

/** Errors a client may see as they are; everything else becomes INTERNAL_SERVER_ERROR with no detail. */
const SAFE_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Masks unknown errors: no Cypher, driver text or stack ever reaches a client. */
export function maskError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = formatted.extensions?.code;
    // A literal our scalars reject (a bad Date) fails validation; it is still the client's bad input.
    const cause = error instanceof GraphQLError ? error.originalError : undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT') {
      code = 'BAD_USER_INPUT';
      formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
    }
    if (typeof code === 'string' && SAFE_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      void _stack;
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    logger.error({ err: original }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Writes the audit entry of a request that revealed victims' identities. */
function auditPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, operation }) {
          if (contextValue.identityReads.size === 0) return;
          const name = operationName ?? operation?.operation ?? 'anonymous';
          await recordIdentityReads(contextValue.executor, contextValue.viewer, contextValue.identityReads, name, contextValue.requestId);
        },
      };
    },
  };
}

/**
 * Outside production, reports how many Cypher statements a request sent in `extensions.cypherRoundTrips`,
 * so tests and benchmarks can assert batching.
 */
function roundTripPlugin(): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            cypherRoundTrips: contextValue.executor.roundTrips,
          };
        },
      };
    },
  };
}

/**
 * Builds the HTTP server: GraphQL at /graphql, /health and /ready.
 *
 *     const server = await createServer({ config, driver, logger });
 *     await server.listen(4000, '127.0.0.1');
 */
export async function createServer({ config, driver, logger }: ServerDependencies): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const armor = createArmor(config.limits);
  const apollo = new ApolloServer<GraphContext>({
    schema: createSchema(),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a JSON array body is a 400 (see README, "Limits").
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: armor.validationRules,
    formatError: maskError(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...armor.plugins,
      auditPlugin(),
      ...(config.nodeEnv === 'production' ? [] : [roundTripPlugin()]),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/ready', async (_req, res) => {
    try {
      await driver.executeQuery('RETURN 1', {}, { database: config.neo4jDatabase, routing: 'READ' });
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'Neo4j does not answer' });
    }
  });

  app.use(
    '/graphql',
    createRateLimiter(config.limits),
    express.json({ limit: config.limits.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
        const executor = createExecutor(driver, config, logger);
        const viewer = await authenticate(req.headers.authorization, executor);
        return {
          config,
          viewer,
          executor,
          loaders: createLoaders(executor, viewer),
          logger: logger.child({ requestId }),
          requestId,
          identityReads: new Set<string>(),
        };
      },
    }),
    bodyErrorHandler(config.limits.bodyLimit),
  );

  return {
    app,
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    stop: async () => {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

export { GraphQLError };

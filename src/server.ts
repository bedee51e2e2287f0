import http from 'node:http';
import express, { type Express } from 'express';
import type { Driver } from 'neo4j-driver';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from './config';
import type { GraphContext } from './context';
import type { Logger } from './logger';
import { Executor } from './db/executor';
import { createLoaders } from './loaders';
import { ApiKeyAuthenticator } from './auth/apiKeys';
import { recordIdentityReads } from './auth/audit';
import { createSchema } from './schema';
import { compiledExecution } from './execution';
import { createArmor } from './security/armor';
import { createRateLimiter } from './security/rateLimit';
import { legacyJsonStatusPlugin } from './security/httpStatus';
import { validateBuiltinQueries } from './saved/builtinQueries';
import { persistedOnlyPlugin, persistedQueries } from './saved/persistedOnly';
import { createSavedQueryRouter } from './saved/saved.routes';
import { availabilityOf } from './ops/availability';
import { requestContext, requestContextOf, type RequestContext } from './ops/requestContext';
import type { CancellationSignal } from './ops/cancellation';
import { unavailablePlugin } from './ops/unavailablePlugin';
import { createMetrics, type Metrics } from './metrics/metrics';
import { graphqlMetricsPlugin } from './metrics/graphqlMetricsPlugin';
import { exportNetworkRoute } from './export/export.routes';
import { createWebRouter } from './web/web.routes';
import { graphqlHttpHandler, isGraphqlRequest } from './http/graphqlHttp';
import { sendJson } from './http/middleware';

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

/** What ties an executor to one HTTP request: cancellation when the client leaves, and metrics. */
export interface ExecutorHooks {
  signal?: CancellationSignal;
  metrics?: Metrics;
}

/**
 * A new executor for one unit of work, with the configured database and read timeout; it fails fast
 * while Neo4j is down (src/ops/availability.ts) and logs statements slower than TG_SLOW_QUERY_MS.
 */
/** A statement's Cypher as a log line carries it: one line, at most 500 characters. */
const loggedCypher = (cypher: string): string => cypher.replace(/\s+/g, ' ').slice(0, 500);

export function createExecutor(driver: Driver, config: Config, logger?: Logger | (() => Logger), hooks: ExecutorHooks = {}): Executor {
  // A request's logger is made when first used (src/ops/requestContext.ts): here, only when a statement is logged.
  const log = typeof logger === 'function' ? logger : () => logger;
  return new Executor(driver, {
    database: config.neo4jDatabase,
    readTimeoutMs: config.queryTimeoutMs,
    availability: availabilityOf(driver, config.neo4jDatabase),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onStatement: ({ mode, ms, ok, cypher, neo4jCode }) => {
      hooks.metrics?.cypherDuration.observe({ mode, outcome: ok ? 'ok' : 'error' }, ms / 1000);
      // The client was told SERVICE_UNAVAILABLE (src/db/neo4jErrors.ts); the operator is told which statement
      // Neo4j failed and how. Code and Cypher text only: a message or the parameters may hold personal data.
      if (neo4jCode?.startsWith('Neo.DatabaseError.')) {
        log()?.error({ mode, code: neo4jCode, cypher: loggedCypher(cypher) }, 'Neo4j failed a statement');
      }
      if (ms >= config.slowQueryMs) {
        // Cypher text only: parameters may hold personal data.
        log()?.warn({ mode, ms: Math.round(ms), ok, cypher: loggedCypher(cypher) }, 'slow Cypher statement');
      }
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
  'PERSISTED_QUERY_REQUIRED',
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
    // Apollo's own refusals of a request (an unsupported persisted-query version, a hash that does not match the
    // query) carry HTTP 400 and no code of their own (Apollo fills in INTERNAL_SERVER_ERROR).
    if (!formatted.path && error instanceof GraphQLError && error.extensions.code === undefined && (error.extensions.http as { status?: number } | undefined)?.status === 400) {
      code = 'BAD_REQUEST';
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
        async willSendResponse({ contextValue, operationName, operation, response }) {
          if (contextValue.identityReads.size === 0) return;
          const name = operationName ?? operation?.operation ?? 'anonymous';
          try {
            await recordIdentityReads(contextValue.executor, contextValue.viewer, contextValue.identityReads, name, contextValue.requestId);
          } catch (error) {
            // Fail closed: no identity leaves the server unless its read is in the audit log.
            contextValue.logger.error({ err: error }, 'audit entry not written; answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The answer was withheld because the audit log could not be written.', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
              };
            }
            // Set here, not left to unavailablePlugin: Apollo runs the willSendResponse hooks side by side, and
            // that one has looked at the answer before this write failed.
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          }
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
 * The GraphQL context of one request to /graphql. Its logger is the request's child logger, made on first use
 * (src/ops/requestContext.ts), through a getter on the class: Apollo copies each context's own properties into a
 * new object for the request (`Object.assign`), which would call a getter of the object itself and make the
 * child logger for every request.
 */
class ApolloContext implements GraphContext {
  readonly requestId: string;
  readonly identityReads = new Set<string>();

  constructor(
    readonly config: Config,
    readonly viewer: GraphContext['viewer'],
    readonly executor: Executor,
    readonly loaders: GraphContext['loaders'],
    private readonly request: RequestContext,
  ) {
    this.requestId = request.requestId;
  }

  get logger(): Logger {
    return this.request.logger;
  }
}

/**
 * Builds the HTTP server: GraphQL at /graphql, served on `node:http` directly (src/http/graphqlHttp.ts);
 * the explorer, /health, /ready, /metrics, /saved and /export on express.
 *
 *     const server = await createServer({ config, driver, logger });
 *     await server.listen(4000, '127.0.0.1');
 */
export async function createServer({ config, driver, logger }: ServerDependencies): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: answers are POSTs or marked no-store, and hashing every body costs CPU for nothing.
  app.set('etag', false);
  // Its request listener is added once Apollo has started (below); Apollo's drain plugin needs it first.
  const httpServer = http.createServer();

  const metrics = createMetrics(driver);
  const availability = availabilityOf(driver, config.neo4jDatabase);
  metrics.neo4jUp.set(availability.isDown() ? 0 : 1);
  const stopWatching = availability.onChange((up) => {
    metrics.neo4jUp.set(up ? 1 : 0);
    if (up) logger.info('Neo4j answers again; serving requests');
    else logger.error('Neo4j cannot be reached; failing requests with SERVICE_UNAVAILABLE until it answers');
  });
  const armor = createArmor(config.limits);
  const auth = new ApiKeyAuthenticator({ cacheMs: config.authCacheMs });
  const schema = createSchema();
  validateBuiltinQueries(schema);
  const apq = persistedQueries(() => createExecutor(driver, config, logger));
  const apollo = new ApolloServer<GraphContext>({
    // With compiled execution the schema reaches Apollo through the executor (src/execution.ts).
    ...(config.compiledExecution ? { gateway: compiledExecution(schema) } : { schema }),
    // Hash-only requests (Apollo's persisted-query extension) find every saved query's document, and the documents
    // the same API key registered (the plugin below), never another caller's.
    persistedQueries: { cache: apq.cache },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // One operation per request: a JSON array body is a 400 (see README, "Limits").
    allowBatchedHttpRequests: false,
    // src/bin/start.ts owns SIGINT/SIGTERM (drain, close the driver, exit); Apollo's own handler raced it and shutdown hung.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    validationRules: armor.validationRules,
    parseOptions: armor.parseOptions,
    formatError: maskError(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's landing page loads from a CDN; browsers get our offline explorer (src/web/) instead.
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin wraps every field resolver to compute cache hints; nothing here sends
      // cacheable answers (identities depend on the caller's role), so it is off. See bench/README.md.
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      legacyJsonStatusPlugin(),
      unavailablePlugin(),
      graphqlMetricsPlugin(metrics),
      auditPlugin(),
      persistedOnlyPlugin(config.persistedOnlyRoles),
      apq.plugin,
      ...(config.nodeEnv === 'production' ? [] : [roundTripPlugin()]),
    ],
  });
  await apollo.start();

  const withRequestContext = requestContext(logger);
  app.use(withRequestContext, metrics.httpMiddleware);
  app.get('/metrics', metrics.handler);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // One probe without the driver's retries, bounded at 1.5 s: a health check must not hang.
  app.get('/ready', async (_req, res) => {
    if (await availability.probe()) {
      res.json({ status: 'ready' });
    } else {
      res.status(503).set('retry-after', '1').json({ status: 'unavailable', reason: 'Neo4j does not answer' });
    }
  });

  app.use(
    '/saved',
    createRateLimiter(config.limits),
    createSavedQueryRouter({
      schema,
      config,
      logger,
      auth,
      newExecutor: ({ signal, logger: requestLogger }) => createExecutor(driver, config, requestLogger, { signal, metrics }),
    }),
  );

  app.get(
    '/export/network',
    createRateLimiter(config.limits),
    exportNetworkRoute({ config, logger, auth, newExecutor: () => createExecutor(driver, config, logger) }),
  );

  // The explorer (HTML GET /graphql), the visual page /graph and their assets.
  app.use(createWebRouter());

  // Anything else: the API's JSON error shape, not express's HTML page (a client of /saved or /export reads JSON).
  app.use((req: express.Request, res: express.Response) => {
    sendJson(res, 404, { errors: [{ message: `Nothing is served at ${req.method} ${req.path}.`, extensions: { code: 'NOT_FOUND' } }] });
  });

  const graphql = graphqlHttpHandler({
    apollo,
    before: [withRequestContext, metrics.httpMiddleware, createRateLimiter(config.limits)],
    bodyLimit: config.limits.bodyLimit,
    logger,
    context: async (req, res) => {
      const request = requestContextOf(res);
      const executor = createExecutor(driver, config, () => request.logger, { signal: request.signal, metrics });
      const viewer = await auth.authenticate(req.headers.authorization, executor).catch((error: unknown) => {
        // Apollo answers 500 for a failing context function unless the error names its status.
        if (error instanceof GraphQLError && error.extensions.code === 'SERVICE_UNAVAILABLE') {
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 503 } } });
        }
        throw error;
      });
      return new ApolloContext(config, viewer, executor, createLoaders(executor, viewer), request);
    },
  });
  // GraphQL without express (src/http/graphqlHttp.ts); the explorer page and every other route on express.
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlRequest(req)) graphql(req, res);
    else app(req, res);
  });

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
      stopWatching();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

export { GraphQLError };

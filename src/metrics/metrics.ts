import type { RequestHandler } from 'express';
import type { Driver } from 'neo4j-driver';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { pathOf, type Middleware } from '../http/middleware';

/** The fixed set of `route` label values: unknown paths are `other`, so a scanner cannot blow up the series count. */
const ROUTES = ['/graphql', '/health', '/ready', '/metrics', '/saved', '/export', '/graph'] as const;

/** The route label of a request path: one of a closed list. */
export function routeOf(path: string): string {
  return ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}

/** The metrics of one server (its own registry, so several servers can live in one process, as in the tests). */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly graphqlErrors: Counter<'code'>;
  readonly cypherDuration: Histogram<'mode' | 'outcome'>;
  readonly neo4jUp: Gauge;
  /** Counts the request in the HTTP metrics when its response ends. */
  readonly httpMiddleware: Middleware;
  /** Serves the registry in the Prometheus text format. */
  readonly handler: RequestHandler;
}

/**
 * Creates the Prometheus metrics: `http_requests_total` and `http_request_duration_seconds` by method,
 * route and status; `graphql_errors_total` by code; `cypher_statement_duration_seconds` by mode and
 * outcome; `neo4j_up`; the driver's connection pool (`neo4j_pool_connections` by state); and the
 * process metrics of prom-client (`process_*`, `nodejs_*`, all prefixed `tg_`).
 *
 *     const metrics = createMetrics(driver);
 *     app.use(metrics.httpMiddleware);
 *     app.get('/metrics', metrics.handler);
 */
export function createMetrics(driver: Driver): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tg_' });
  const httpRequests = new Counter({
    name: 'tg_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'tg_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'tg_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const cypherDuration = new Histogram({
    name: 'tg_cypher_statement_duration_seconds',
    help: 'Cypher statements (or write transactions) by access mode and outcome, session open to close.',
    labelNames: ['mode', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const neo4jUp = new Gauge({
    name: 'tg_neo4j_up',
    help: '1 while Neo4j answers, 0 while this instance considers it down.',
    registers: [registry],
  });
  neo4jUp.set(1);
  new Gauge({
    name: 'tg_neo4j_pool_connections',
    help: 'Connections of the driver pool by server address and state (in_use, idle, waiting acquisitions).',
    labelNames: ['address', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of poolStatus(driver)) {
        this.set({ address: pool.address, state: 'in_use' }, pool.inUse);
        this.set({ address: pool.address, state: 'idle' }, pool.idle);
        this.set({ address: pool.address, state: 'waiting' }, pool.waiting);
      }
    },
  });

  const httpMiddleware: Middleware = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // The whole path: inside a mounted express router `req.path` no longer has the mount point.
      const labels = { method: req.method ?? '', route: routeOf(pathOf(req)), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  const handler: RequestHandler = async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  };
  return { registry, httpRequests, httpDuration, graphqlErrors, cypherDuration, neo4jUp, httpMiddleware, handler };
}

interface PoolStatus {
  address: string;
  inUse: number;
  idle: number;
  waiting: number;
}

/**
 * The driver's pool, read from its internals: neo4j-driver has no public pool API. Returns nothing
 * (rather than failing) if a driver version lays them out differently.
 */
function poolStatus(driver: Driver): PoolStatus[] {
  const pool = (driver as unknown as { _connectionProvider?: { _connectionPool?: Record<string, unknown> } })._connectionProvider
    ?._connectionPool;
  if (!pool) return [];
  const active = (pool._activeResourceCounts ?? {}) as Record<string, number>;
  const idle = (pool._pools ?? {}) as Record<string, { length?: number }>;
  const waiting = (pool._acquireRequests ?? {}) as Record<string, unknown[]>;
  const addresses = new Set([...Object.keys(active), ...Object.keys(idle)]);
  return [...addresses].map((address) => ({
    address,
    inUse: active[address] ?? 0,
    idle: idle[address]?.length ?? 0,
    waiting: waiting[address]?.length ?? 0,
  }));
}

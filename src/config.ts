import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './projectRoot';

/** The validated, frozen configuration of one process. Read once, from `process.env`, by {@link loadConfig}. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Set when the API should use an existing server; unset means "start the local Neo4j". */
  readonly neo4jUri: string | undefined;
  readonly neo4jUsername: string | undefined;
  readonly neo4jPassword: string | undefined;
  readonly neo4jDatabase: string;
  /** Read transactions are cancelled after this many milliseconds. */
  readonly queryTimeoutMs: number;
  /** Cypher statements slower than this are logged as `slow Cypher statement` (TG_SLOW_QUERY_MS). */
  readonly slowQueryMs: number;
  /** How long a live API key is remembered without reading it again, ms; 0 reads it on every request (TG_AUTH_CACHE_MS). */
  readonly authCacheMs: number;
  /** Secret for victims' pseudonyms; must be set in production. */
  readonly pseudonymSecret: string;
  readonly introspection: boolean;
  /** Operations run compiled by graphql-jit (src/execution.ts); false runs them through graphql-js (TG_COMPILED_EXECUTION). */
  readonly compiledExecution: boolean;
  readonly local: LocalNeo4jConfig;
  /**
   * Roles that may run only saved queries (TG_PERSISTED_ONLY): `true` = every role, `false` = none (default),
   * or a comma-separated list such as `journalist,public`. See src/saved/persistedOnly.ts.
   */
  readonly persistedOnlyRoles: readonly ('admin' | 'investigator' | 'journalist' | 'public')[];
  /** Limits that protect the GraphQL endpoint from hostile clients (src/security/). */
  readonly limits: RequestLimitsConfig;
}

/** Request limits; each has a TG_* variable (see the README). */
export interface RequestLimitsConfig {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /** Largest request body, in express's syntax ("100kb"). */
  readonly bodyLimit: string;
  /** Requests per API key (or per IP without a key) per window; 0 turns rate limiting off. */
  readonly rateLimit: number;
  readonly rateLimitWindowMs: number;
}

/** Settings of the local Neo4j runtime started by `npm start` / `npm run db:start` / the tests. */
export interface LocalNeo4jConfig {
  readonly boltPort: number;
  /** Where the persistent local instance keeps its store, pid file and log. */
  readonly dataDir: string;
  readonly heap: string;
  readonly pageCache: string;
}

/** Raised when an environment variable has a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const memorySize = /^[0-9]+[kmgKMG]?$/;
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|bolt\+s|bolt\+ssc|neo4j|neo4j\+s|neo4j\+ssc):\/\/[^\s/]+/, 'must be a bolt://, neo4j:// or neo4j+s:// URI')
    .optional(),
  NEO4J_USERNAME: z.string().min(1).optional(),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{2,62}$/, 'must be a valid Neo4j database name').default('neo4j'),
  TG_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  TG_SLOW_QUERY_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  TG_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5000),
  TG_PSEUDONYM_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TG_INTROSPECTION: bool.optional(),
  TG_COMPILED_EXECUTION: bool.default(true),
  TG_NEO4J_BOLT_PORT: port.default(7687),
  TG_NEO4J_DATA_DIR: z.string().min(1).optional(),
  TG_PERSISTED_ONLY: z
    .string()
    .regex(/^(true|false|1|0|((admin|investigator|journalist|public)(,(admin|investigator|journalist|public))*))$/, 'must be true, false or a comma-separated list of roles (admin, investigator, journalist, public)')
    .optional(),
  TG_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  TG_MAX_COST: z.coerce.number().int().min(1).max(1_000_000_000).default(25_000),
  TG_MAX_ALIASES: z.coerce.number().int().min(0).max(100_000).default(15),
  TG_MAX_TOKENS: z.coerce.number().int().min(10).max(1_000_000).default(2000),
  TG_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
  TG_BODY_LIMIT: z.string().regex(/^[0-9]+(b|kb|mb)$/i, 'must be a size like 100kb or 1mb').default('100kb'),
  TG_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).optional(),
  TG_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  TG_NEO4J_HEAP: z.string().regex(memorySize, 'must be a size like 1g or 512m').default('1g'),
  TG_NEO4J_PAGECACHE: z.string().regex(memorySize, 'must be a size like 1g or 512m').default('512m'),
});

/** Only used outside production, so a fresh clone works with no configuration. */
const DEVELOPMENT_PSEUDONYM_SECRET = 'trafficking-graph-development-only-secret';

/**
 * Reads and validates the environment. Throws a {@link ConfigError} naming every bad variable.
 *
 *     const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.TG_PSEUDONYM_SECRET) {
    throw new ConfigError('Invalid environment: TG_PSEUDONYM_SECRET: must be set when NODE_ENV=production');
  }
  if (e.NEO4J_USERNAME && e.NEO4J_PASSWORD === undefined) {
    throw new ConfigError('Invalid environment: NEO4J_PASSWORD: must be set when NEO4J_USERNAME is set');
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    neo4jUri: e.NEO4J_URI,
    neo4jUsername: e.NEO4J_USERNAME,
    neo4jPassword: e.NEO4J_PASSWORD,
    neo4jDatabase: e.NEO4J_DATABASE,
    queryTimeoutMs: e.TG_QUERY_TIMEOUT_MS,
    slowQueryMs: e.TG_SLOW_QUERY_MS,
    authCacheMs: e.TG_AUTH_CACHE_MS,
    pseudonymSecret: e.TG_PSEUDONYM_SECRET ?? DEVELOPMENT_PSEUDONYM_SECRET,
    introspection: e.TG_INTROSPECTION ?? e.NODE_ENV !== 'production',
    compiledExecution: e.TG_COMPILED_EXECUTION,
    limits: Object.freeze({
      maxDepth: e.TG_MAX_DEPTH,
      maxCost: e.TG_MAX_COST,
      maxAliases: e.TG_MAX_ALIASES,
      maxTokens: e.TG_MAX_TOKENS,
      maxDirectives: e.TG_MAX_DIRECTIVES,
      bodyLimit: e.TG_BODY_LIMIT.toLowerCase(),
      // The test suite sends many requests from one address; rate limits there are opt-in.
      rateLimit: e.TG_RATE_LIMIT ?? (e.NODE_ENV === 'test' ? 0 : 600),
      rateLimitWindowMs: e.TG_RATE_LIMIT_WINDOW_MS,
    }),
    persistedOnlyRoles: Object.freeze(persistedOnlyRoles(e.TG_PERSISTED_ONLY)),
    local: Object.freeze({
      boltPort: e.TG_NEO4J_BOLT_PORT,
      dataDir: path.resolve(e.TG_NEO4J_DATA_DIR ?? path.join(PROJECT_ROOT, 'db', 'data')),
      heap: e.TG_NEO4J_HEAP,
      pageCache: e.TG_NEO4J_PAGECACHE,
    }),
  });
}

const ALL_ROLES = ['admin', 'investigator', 'journalist', 'public'] as const;

/** TG_PERSISTED_ONLY as a role list: `true`/`1` = every role, unset/`false`/`0` = none, else the roles named. */
function persistedOnlyRoles(value: string | undefined): Config['persistedOnlyRoles'] {
  if (value === undefined || value === 'false' || value === '0') return [];
  if (value === 'true' || value === '1') return [...ALL_ROLES];
  return ALL_ROLES.filter((role) => value.split(',').includes(role));
}

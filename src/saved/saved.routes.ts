import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { GraphContext } from '../context';
import type { Executor } from '../db/executor';
import type { Logger } from '../logger';
import type { Viewer } from '../auth/viewer';
import type { ApiKeyAuthenticator } from '../auth/apiKeys';
import { recordIdentityReads } from '../auth/audit';
import { createLoaders } from '../loaders';
import { requestContextOf, type RequestContext } from '../ops/requestContext';
import { BadUserInputError } from '../errors';
import { runSavedQuery } from './runSavedQuery';
import { toCsv } from './csv';
import type { SavedQueryResultRecord } from './savedQuery.model';

/** Query-string keys the route reads itself; every other key is a parameter of the saved query. */
export const RESERVED_KEYS = ['format', 'version'] as const;

/** A GraphQL context for one saved-query run outside Apollo (the HTTP route, the shell): same loaders, masking and audit. */
export function createSavedQueryContext(config: Config, executor: Executor, viewer: Viewer, logger: Logger, requestId: string = randomUUID()): GraphContext {
  return {
    config,
    viewer,
    executor,
    loaders: createLoaders(executor, viewer),
    logger: logger.child({ requestId }),
    requestId,
    identityReads: new Set<string>(),
  };
}

/**
 * Runs a saved query in a fresh context and writes the audit entry for any victim identity it revealed
 * (investigators only ever see those), exactly as the GraphQL endpoint does.
 */
export async function runSavedQueryAudited(
  schema: GraphQLSchema,
  context: GraphContext,
  request: Parameters<typeof runSavedQuery>[2],
): Promise<SavedQueryResultRecord> {
  const result = await runSavedQuery(schema, context, request);
  await recordIdentityReads(context.executor, context.viewer, context.identityReads, `saved:${request.name}`, context.requestId);
  return result;
}

/** Reads `version` and `format` from a query string, and the rest as parameters. */
export function readSavedQueryRequest(query: Record<string, unknown>): { version: number | null; format: 'json' | 'csv'; variables: Record<string, unknown> } {
  const format = typeof query.format === 'string' ? query.format.toLowerCase() : 'json';
  if (format !== 'json' && format !== 'csv') throw new BadUserInputError('"format" must be json or csv.', 'format');
  let version: number | null = null;
  if (query.version !== undefined) {
    if (typeof query.version !== 'string' || !/^[1-9][0-9]{0,8}$/.test(query.version)) throw new BadUserInputError('"version" must be a positive integer.', 'version');
    version = Number(query.version);
  }
  const variables = Object.fromEntries(Object.entries(query).filter(([key]) => !(RESERVED_KEYS as readonly string[]).includes(key)));
  return { version, format, variables };
}

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVICE_UNAVAILABLE: 503 };

function sendError(res: Response, logger: Logger, error: unknown): void {
  const code = error instanceof GraphQLError ? String(error.extensions.code ?? '') : '';
  if (error instanceof GraphQLError && code in STATUS) {
    const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    void _http;
    res.status(STATUS[code]!).json({ errors: [{ message: error.message, extensions }] });
    return;
  }
  logger.error({ err: error }, 'saved query failed');
  res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/**
 * `GET /saved/NAME?VAR=VALUE&version=N&format=json|csv`: runs a saved query with the caller's API key
 * (`Authorization: Bearer ...`, none = public). JSON gives `{ name, version, columns, rows, data }`;
 * CSV gives the rows (UTF-8 with a BOM, RFC 4180 quoting, CRLF) as an attachment `NAME-vVERSION.csv`.
 * Needs the `requestContext` middleware (src/ops/requestContext.ts): its request id, and its abort
 * signal and logger go to `newExecutor`, so a client that leaves cancels the run, as on /graphql.
 *
 *     app.use('/saved', createSavedQueryRouter({ schema, config, logger,
 *       newExecutor: ({ signal, logger }) => createExecutor(driver, config, logger, { signal, metrics }) }));
 */
export function createSavedQueryRouter(deps: {
  schema: GraphQLSchema;
  config: Config;
  logger: Logger;
  /** The server's authenticator (it remembers live keys briefly). */
  auth: ApiKeyAuthenticator;
  newExecutor: (request: RequestContext) => Executor;
}): Router {
  const router = Router();
  router.get('/:name', async (req: Request<{ name: string }>, res: Response) => {
    const request = requestContextOf(res);
    const { requestId } = request;
    try {
      const { version, format, variables } = readSavedQueryRequest(req.query as Record<string, unknown>);
      const executor = deps.newExecutor(request);
      const viewer = await deps.auth.authenticate(req.headers.authorization, executor);
      const context = createSavedQueryContext(deps.config, executor, viewer, deps.logger, requestId);
      const result = await runSavedQueryAudited(deps.schema, context, { name: req.params.name, version, variables, fromStrings: true });
      res.setHeader('cache-control', 'no-store');
      if (format === 'csv') {
        res.setHeader('content-type', 'text/csv; charset=utf-8');
        res.setHeader('content-disposition', `attachment; filename="${result.name}-v${result.version}.csv"`);
        res.send(toCsv(result.columns, result.rows));
      } else {
        res.json(result);
      }
    } catch (error) {
      sendError(res, deps.logger, error);
    }
  });
  return router;
}

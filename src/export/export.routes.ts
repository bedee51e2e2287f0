import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ApiKeyAuthenticator } from '../auth/apiKeys';
import { recordIdentityReads } from '../auth/audit';
import { AppError, BadUserInputError } from '../errors';
import type { Executor } from '../db/executor';
import { buildNetworkSlice } from '../network/network';
import { citedSourceIds, EXPORT_FORMATS, serialiseSlice, toSourcesCSV, type ExportFormat } from './networkFormats';
import { createLoaders } from '../loaders';
import type { Viewer } from '../auth/viewer';
import type { SourceRecord } from '../source/source.model';

/** The sources of `ids` a CSV export's sources table lists, as the node loader answers them (retired ones absent), in the order of `ids`. */
async function citedSources(executor: Executor, viewer: Viewer, ids: readonly string[]): Promise<SourceRecord[]> {
  const found = await createLoaders(executor, viewer).node.loadMany(ids);
  return found.filter((record): record is SourceRecord => !!record && !(record instanceof Error) && record.label === 'Source');
}

/** HTTP status of each error code the route can answer with. */
const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVICE_UNAVAILABLE: 503 };

/** The parameters the route reads; any other is refused, naming it, as /saved does. */
const PARAMETERS = ['ids', 'depth', 'limit', 'asOf', 'types', 'events', 'format', 'table'] as const;

/** A query parameter's value; an empty one (`asOf=`, as a form leaves it) is the same as none. */
function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadUserInputError(`Parameter "${name}" must be given once.`, name);
  return value === '' ? undefined : value;
}

function checkParameters(req: Request): void {
  const unknown = Object.keys(req.query).find((name) => !(PARAMETERS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new BadUserInputError(`Unknown parameter "${unknown}": this route takes ${PARAMETERS.join(', ')}.`, unknown);
}

function queryInt(req: Request, name: string): number | undefined {
  const value = queryString(req, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new BadUserInputError(`Parameter "${name}" must be a whole number (got "${value}").`, name);
  return Number(value);
}

function queryList(req: Request, name: string): string[] | undefined {
  const value = queryString(req, name);
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * `GET /export/network?ids=A,B&depth=1&format=cytoscape|graphml|gexf|csv`: the neighbourhood that
 * `network(ids, depth, limit, asOf, relationTypes, includeEvents)` answers, as a file, with the same caps,
 * the same role masking (journalists see victims' pseudonyms, the public sees no victim) and the same
 * audit of identity reads. Optional: `limit`, `asOf`, `types=WORKS_AT,OPERATES`, `events=true`,
 * `table=nodes|edges|sources` (CSV; `sources` lists every source the slice cites, to cite it offline); an empty value is the same as none, any other parameter is refused. Errors are JSON `{ error: { code, message, argument } }` with 400/401/503.
 *
 *     app.get('/export/network', exportNetworkRoute({ config, logger, auth, newExecutor: () => createExecutor(driver, config, logger) }));
 */
export function exportNetworkRoute(deps: { config: Config; logger: Logger; auth: ApiKeyAuthenticator; newExecutor: () => Executor }): RequestHandler {
  return async (req: Request, res: Response) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
    const executor = deps.newExecutor();
    try {
      checkParameters(req);
      const format = (queryString(req, 'format') ?? 'cytoscape') as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) {
        throw new BadUserInputError(`Parameter "format" must be one of ${EXPORT_FORMATS.join(', ')}.`, 'format');
      }
      const table = queryString(req, 'table') ?? 'nodes';
      if (table !== 'nodes' && table !== 'edges' && table !== 'sources') throw new BadUserInputError('Parameter "table" must be nodes, edges or sources.', 'table');
      if (table !== 'nodes' && format !== 'csv') throw new BadUserInputError(`Parameter "table" is for format=csv only (a ${format} file holds nodes and edges together).`, 'table');
      const events = queryString(req, 'events');
      if (events !== undefined && events !== 'true' && events !== 'false') {
        throw new BadUserInputError('Parameter "events" must be true or false.', 'events');
      }
      const viewer = await deps.auth.authenticate(req.headers.authorization, executor);
      const identityReads = new Set<string>();
      const slice = await buildNetworkSlice(
        executor,
        {
          ids: queryList(req, 'ids') ?? [],
          depth: queryInt(req, 'depth'),
          limit: queryInt(req, 'limit'),
          asOf: queryString(req, 'asOf'),
          relationTypes: queryList(req, 'types'),
          includeEvents: events === 'true',
        },
        { viewer, pseudonymSecret: deps.config.pseudonymSecret, identityReads },
      );
      await recordIdentityReads(executor, viewer, identityReads, 'export/network', requestId);
      const file =
        table === 'sources'
          ? { contentType: 'text/csv; charset=utf-8', extension: 'sources.csv', body: toSourcesCSV(await citedSources(executor, viewer, citedSourceIds(slice))) }
          : serialiseSlice(slice, format, { table, generatedOn: new Date().toISOString().slice(0, 10) });
      res.setHeader('content-type', file.contentType);
      res.setHeader('content-disposition', `attachment; filename="network.${file.extension}"`);
      res.setHeader('x-truncated', String(slice.truncated));
      // What a file holds depends on who asks (an investigator's names victims): no cache keeps it.
      res.setHeader('cache-control', 'no-store');
      res.status(200).send(file.body);
    } catch (error) {
      if (error instanceof AppError) {
        const code = String(error.extensions.code);
        res.status(STATUS[code] ?? 500).json({ error: { code, message: error.message, ...(error.extensions.argument ? { argument: error.extensions.argument } : {}) } });
        return;
      }
      deps.logger.error({ err: error, requestId }, 'export failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
    }
  };
}

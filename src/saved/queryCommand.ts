import { parseArgs } from 'node:util';
import type { Driver } from 'neo4j-driver';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { authenticate } from '../auth/apiKeys';
import type { Viewer } from '../auth/viewer';
import { createSchema } from '../schema';
import { Executor } from '../db/executor';
import { validateBuiltinQueries } from './builtinQueries';
import { toCsv } from './csv';
import { createSavedQueryContext, runSavedQueryAudited } from './saved.routes';

export const QUERY_USAGE = `usage: npm run query -- NAME [--var k=v ...] [--version N] [--format json|csv] [--bom] [--key API_KEY]
  NAME         a saved query (see the README, or query savedQueries)
  --var k=v    a parameter; repeat it for several, or for a list (--var kinds=RAID --var kinds=ARREST, or kinds=RAID,ARREST)
  --version N  run that version instead of the latest
  --format     json (default: { name, version, columns, rows, data }) or csv (rows only)
  --bom        start the CSV with a UTF-8 byte-order mark (for Excel)
  --key        run with that API key's role; without it the query runs as a journalist (victims masked)`;

/** A bad command line; its message says what was wrong. */
export class QueryUsageError extends Error {
  override name = 'QueryUsageError';
}

export interface QueryCommand {
  name: string;
  variables: Record<string, string | string[]>;
  version: number | null;
  format: 'json' | 'csv';
  bom: boolean;
  key: string | undefined;
}

/**
 * Reads `NAME [--var k=v ...] [--version N] [--format json|csv] [--bom] [--key KEY]`.
 * A parameter given twice becomes a list.
 */
export function parseQueryCommand(argv: readonly string[]): QueryCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      var: { type: 'string', multiple: true, default: [] },
      version: { type: 'string' },
      format: { type: 'string', default: 'json' },
      bom: { type: 'boolean', default: false },
      key: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new QueryUsageError(positionals.length ? `one query NAME only (got ${positionals.join(' ')})\n${QUERY_USAGE}` : QUERY_USAGE);
  if (values.format !== 'json' && values.format !== 'csv') throw new QueryUsageError(`--format must be json or csv (got "${values.format}")`);
  if (values.version !== undefined && !/^[1-9][0-9]{0,8}$/.test(values.version)) throw new QueryUsageError(`--version must be a positive integer (got "${values.version}")`);
  const variables: Record<string, string | string[]> = {};
  for (const pair of values.var) {
    const at = pair.indexOf('=');
    if (at < 1) throw new QueryUsageError(`--var takes name=value (got "${pair}")`);
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const previous = variables[key];
    variables[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return {
    name: positionals[0]!,
    variables,
    version: values.version === undefined ? null : Number(values.version),
    format: values.format,
    bom: values.bom,
    key: values.key,
  };
}

/** Who runs a query from the shell without `--key`: a journalist, so victims stay masked by default. */
const SHELL_VIEWER: Viewer = Object.freeze({ role: 'journalist', keyId: null, keyName: 'shell' });

/**
 * Runs a saved query in-process against the configured database, as `npm run query` does, and returns
 * what it prints: pretty JSON, or CSV rows. Parameters are checked exactly as over HTTP.
 */
export async function runQueryCommand(command: QueryCommand, deps: { config: Config; driver: Driver; logger: Logger }): Promise<string> {
  const schema = createSchema();
  validateBuiltinQueries(schema);
  const executor = new Executor(deps.driver, { database: deps.config.neo4jDatabase, readTimeoutMs: deps.config.queryTimeoutMs });
  const viewer = command.key ? await authenticate(`Bearer ${command.key}`, executor) : SHELL_VIEWER;
  const context = createSavedQueryContext(deps.config, executor, viewer, deps.logger);
  const result = await runSavedQueryAudited(schema, context, {
    name: command.name,
    version: command.version,
    variables: command.variables,
    fromStrings: true,
  });
  return command.format === 'csv' ? toCsv(result.columns, result.rows, { bom: command.bom }) : `${JSON.stringify(result, null, 2)}\n`;
}

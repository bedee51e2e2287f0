import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import type { GraphContext } from '../context';
import { flattenResult } from './flatten';
import { checkParameters, type ParameterInput } from './parameters';
import { parseSavedDocument } from './savedDocument';
import { requireSavedQuery } from './savedQueryStore';
import { documentLimitsOf } from '../security/armor';
import type { SavedQueryResultRecord } from './savedQuery.model';

export interface RunSavedQueryRequest {
  name: string;
  version?: number | null;
  variables?: ParameterInput | null;
  /** True when values are text (query string, shell) and must be converted to the declared types first. */
  fromStrings?: boolean;
}

/**
 * Runs a saved query in-process with `graphql.execute` against `schema` and the caller's `context`, so the
 * caller's role, victim masking and audit apply exactly as for a GraphQL request, and so do the operation
 * limits for a user's saved document. Parameters are checked (BAD_USER_INPUT naming the parameter) before
 * anything is sent to the database. The first GraphQL error of the run is rethrown as it is (its code
 * intact); otherwise the data comes back with its table.
 *
 *     const result = await runSavedQuery(schema, context, { name: 'compoundsInCountry', variables: { country: 'kh' } });
 */
export async function runSavedQuery(schema: GraphQLSchema, context: GraphContext, request: RunSavedQueryRequest): Promise<SavedQueryResultRecord> {
  const query = await requireSavedQuery(context.executor, request.name, request.version ?? null);
  // A user's saved document keeps the limits of a request to /graphql, as they are now: they may have been lowered
  // since it was saved. Built-ins ship with the server, checked at start-up, and some cost more than the default limit.
  const parsed = parseSavedDocument(schema, query.document, query.builtIn ? undefined : documentLimitsOf(context.config.limits));
  const variableValues = checkParameters(schema, parsed.operation, request.variables, { fromStrings: request.fromStrings === true });
  const result = await execute({
    schema,
    document: parsed.document,
    contextValue: context,
    variableValues,
    operationName: parsed.operation.name?.value,
  });
  const [first] = result.errors ?? [];
  if (first) {
    const original = first.originalError;
    throw original instanceof GraphQLError ? original : (original ?? first);
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  const table = flattenResult(parsed.operation, parsed.fragments, data);
  return { name: query.name, version: query.version, data, rows: table.rows, columns: table.columns };
}

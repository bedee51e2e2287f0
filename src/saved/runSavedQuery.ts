import { execute, GraphQLError, Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValueNode } from 'graphql';
import { BadUserInputError } from '../errors';
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
  const query = await requireSavedQuery(context.executor, context.viewer, request.name, request.version ?? null);
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
    const argument = original instanceof GraphQLError ? original.extensions.argument : undefined;
    if (original instanceof GraphQLError && original.extensions.code === 'BAD_USER_INPUT' && typeof argument === 'string' && first.path) {
      // The caller gave parameters, not arguments: a bad value is named by the parameter it came in.
      const parameter = parameterBehind(parsed.operation.selectionSet, parsed.fragments, first.path, argument);
      if (parameter) throw new BadUserInputError(`Parameter "${parameter}": ${original.message}`, parameter);
    }
    throw original instanceof GraphQLError ? original : (original ?? first);
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  const table = flattenResult(parsed.operation, parsed.fragments, data);
  return { name: query.name, version: query.version, data, rows: table.rows, columns: table.columns };
}

/** The field at response path `path` (list indices skipped) in a selection, through fragments. */
function fieldAt(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, path: readonly (string | number)[]): FieldNode | undefined {
  const [key, ...rest] = path.filter((segment): segment is string => typeof segment === 'string');
  if (key === undefined) return undefined;
  for (const selection of selectionSet.selections) {
    const inner =
      selection.kind === Kind.FIELD
        ? (selection.alias ?? selection.name).value === key
          ? rest.length === 0
            ? selection
            : selection.selectionSet && fieldAt(selection.selectionSet, fragments, rest)
          : undefined
        : selection.kind === Kind.INLINE_FRAGMENT
          ? fieldAt(selection.selectionSet, fragments, [key, ...rest])
          : fragments.get(selection.name.value) && fieldAt(fragments.get(selection.name.value)!.selectionSet, fragments, [key, ...rest]);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * The variable (a saved query's parameter) whose value reached `argument` (`filter.to`, `id`) of the field at `path`,
 * if the document passes one there.
 */
function parameterBehind(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  path: readonly (string | number)[],
  argument: string,
): string | undefined {
  const [name, ...fields] = argument.split('.');
  let value: ValueNode | undefined = fieldAt(selectionSet, fragments, path)?.arguments?.find((arg) => arg.name.value === name)?.value;
  for (const field of fields) {
    if (value?.kind !== Kind.OBJECT) break;
    value = value.fields.find((f) => f.name.value === field)?.value;
  }
  return value?.kind === Kind.VARIABLE ? value.name.value : undefined;
}

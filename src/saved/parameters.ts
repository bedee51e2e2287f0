import {
  coerceInputValue,
  getNamedType,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  print,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BadUserInputError } from '../errors';

/** Parameter values as they arrive: JSON values (GraphQL), or strings and repeated strings (a query string, the shell). */
export type ParameterInput = Record<string, unknown>;

/**
 * Checks and coerces the parameters of a saved query against its variable definitions, before anything
 * reaches the database. With `fromStrings`, values are text (query string, `--var k=v`) and are first
 * converted to the declared types: numbers, booleans, comma-separated or repeated lists, JSON input objects.
 * Throws BAD_USER_INPUT naming the parameter (`extensions.argument`) when one is unknown, missing or mistyped.
 *
 *     checkParameters(schema, operation, { minTransfers: '2' }, { fromStrings: true }) // { minTransfers: 2 }
 */
export function checkParameters(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  input: ParameterInput | null | undefined,
  options: { fromStrings: boolean },
): Record<string, unknown> {
  const definitions = operation.variableDefinitions ?? [];
  const known = new Set(definitions.map((d) => d.variable.name.value));
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) throw new BadUserInputError('Parameters must be an object of name: value.', 'variables');
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const expected = [...known].join(', ') || 'none';
      throw new BadUserInputError(`Unknown parameter "${name}": this query takes ${expected}.`, name);
    }
  }
  const values: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never);
    if (!type || !isInputType(type)) throw new BadUserInputError(`Parameter "${name}" has an unknown type ${print(definition.type)}.`, name);
    let value = given[name];
    if (options.fromStrings && value === '') value = undefined;
    if (value === undefined || (value === null && definition.defaultValue)) {
      if (isNonNullType(type) && !definition.defaultValue) {
        throw new BadUserInputError(`Parameter "${name}" (${print(definition.type)}) is required.`, name);
      }
      continue;
    }
    if (options.fromStrings) value = fromText(value, type);
    coerceInputValue(value, type, (path, _invalid, error) => {
      const at = path.length ? ` at ${path.join('.')}` : '';
      throw new BadUserInputError(`Parameter "${name}" (${print(definition.type)})${at}: ${error.message}`, name);
    });
    values[name] = value;
  }
  return values;
}

/** Converts text to the JSON shape a GraphQL input type expects; leaves what it cannot convert for coercion to reject. */
function fromText(value: unknown, type: GraphQLInputType): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [value];
    return items.map((item) => fromText(item, inner.ofType as GraphQLInputType));
  }
  const text = Array.isArray(value) ? value[value.length - 1] : value;
  if (typeof text !== 'string') return text;
  const named = getNamedType(inner);
  if (named === GraphQLInt && /^[-+]?\d+$/.test(text)) return Number(text);
  if (named === GraphQLFloat && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  if (named === GraphQLBoolean && (text === 'true' || text === 'false')) return text === 'true';
  if (isInputObjectType(named)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

import { GraphQLError, getVariableValues, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { installGatewayRequestContext } from './gatewayRequestContext';

/**
 * Compiled execution: operations run through graphql-jit, which compiles each operation once into a
 * function that resolves and completes it, instead of graphql-js interpreting the document again for
 * every request and every list item (for the nested list of bench/README.md, graphql-js's completion
 * was the largest cost in the server after decoding Neo4j's answer).
 *
 * Apollo Server 5 has no executor option; its `gateway` interface is how an executor is plugged in.
 * Apollo still parses, validates (with graphql-armor's rules), runs every plugin and formats errors;
 * only execution changes. The resolvers, and with them victim protection, are the same functions.
 */

/** Compiled operations kept per document; Apollo keeps one parsed document per distinct query text. */
const MAX_COMPILED = 1000;

export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  // Apollo's gateway request context kept every request alive through young collections (src/gatewayRequestContext.ts).
  installGatewayRequestContext();
  // Apollo hands over the same DocumentNode for the same query text (its document store), so documents key the cache.
  const compiled = new LRUCache<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>({ max: MAX_COMPILED });
  const compile = (document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult => {
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    const key = operationName ?? '';
    let query = byName.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName ?? undefined);
      byName.set(key, query);
    }
    return query;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        executor: async ({ document, operationName, operation, request, context }) => {
          // Apollo could not pick the operation (an unknown operationName); it answers 400 with the error execution gives.
          if (!operation) return { errors: [operationError(request.operationName ?? null)] };
          const query = compile(document, operationName);
          if (!isCompiledQuery(query)) return query;
          const variables = request.variables ?? {};
          const result = await query.query(undefined, context, variables);
          if (!result.errors) return result;
          // No `data` at all: the variables were refused before anything ran.
          if (!('data' in result)) return variableErrors(schema, operation, variables) ?? { errors: result.errors.map(asGraphQLError) };
          return { ...result, errors: result.errors.map(asGraphQLError) };
        },
      };
    },
    async stop() {},
  };
}

/**
 * graphql-jit reports field errors with its own error objects: they pass `instanceof GraphQLError` but
 * are built with read-only properties (graphql-armor's error hook assigns `message` and threw, and Apollo
 * then masked every error as INTERNAL_SERVER_ERROR). Each becomes the GraphQLError graphql-js would have
 * made: same message, path, locations, original error and extensions (BAD_USER_INPUT and the argument it
 * names, FORBIDDEN, ...).
 */
function asGraphQLError(reported: GraphQLError): GraphQLError {
  const error = new GraphQLError(reported.message, { path: reported.path, originalError: reported.originalError, extensions: reported.extensions });
  if (reported.locations) Object.defineProperty(error, 'locations', { value: reported.locations, enumerable: true, writable: true, configurable: true });
  return error;
}

/** graphql-js's error for a document in which `operationName` picks no operation. */
function operationError(operationName: string | null): GraphQLError {
  return new GraphQLError(
    operationName === null ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named "${operationName}".`,
  );
}

/**
 * The errors graphql-js gives for variables that do not fit the operation's definitions, or undefined if it accepts
 * them. graphql-jit refuses the same variables, but its errors carry only locations, not the variable's definition
 * node, by which Apollo tells a client's bad variable (`BAD_USER_INPUT`, HTTP 400) from a server fault (which the
 * error mask turns into `INTERNAL_SERVER_ERROR`). Asking graphql-js again, on this error path only, gives the
 * same errors, with the same messages, as execution without graphql-jit.
 */
function variableErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): ExecutionResult | undefined {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
  return coerced.errors ? { errors: coerced.errors } : undefined;
}

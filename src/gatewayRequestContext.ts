import { createRequire } from 'node:module';
import type { HeaderMap } from '@apollo/server';

/**
 * Apollo Server builds a "gateway request context" for every operation a gateway executor runs (and with compiled
 * execution, src/execution.ts, every operation runs through one): `makeGatewayGraphQLRequestContext`, in its module
 * `dist/cjs/utils/makeGatewayGraphQLRequestContext.js`. Up to 5.5.1 (the newest at the time of writing) it gives
 * `response.http` a `status` getter and setter in an object literal. V8 makes the accessors of an object literal an
 * accessor pair in old space, so their closures, and through them Apollo's whole request context (our context, the
 * loaders, the answer), survived every young collection until a full one: about 0.5 MB copied and promoted at each
 * young collection of a search at one connection, where the raw replay copies 15 KB (bench/README.md, "December 3rd,
 * noon").
 *
 * {@link installGatewayRequestContext} replaces that function in Apollo's module with {@link gatewayRequestContext}:
 * the same context, built the same way, with `status` on a class. It does so only while Apollo's function still has
 * the literal accessors, so an Apollo that changed or fixed it is left as it is. Apollo's pipeline reads the function
 * from the module's exports at each call, so the replacement is what it calls.
 */

/** What `makeGatewayGraphQLRequestContext` reads of Apollo's request context. */
interface ApolloRequestContext {
  request: {
    query?: unknown;
    operationName?: unknown;
    variables?: unknown;
    extensions?: unknown;
    http?: { method: string; search: string; headers: HeaderMap };
  };
  response: { http: { status?: number; headers: HeaderMap } };
  contextValue: unknown;
  schema: unknown;
  queryHash: unknown;
  document: unknown;
  source: unknown;
  operationName: unknown;
  operation: unknown;
  errors: unknown;
  metrics: unknown;
  overallCachePolicy: unknown;
  requestIsBatched: unknown;
}

type MakeGatewayContext = (requestContext: ApolloRequestContext, server: { logger: unknown; cache: unknown }, internals: { includeStacktraceInErrorResponses?: unknown }) => unknown;

/** A Fetch API `Headers` over Apollo's HeaderMap, as Apollo's own (unexported) `FetcherHeadersForHeaderMap`. */
class HeaderMapHeaders {
  constructor(readonly map: HeaderMap) {}

  append(name: string, value: string): void {
    this.map.set(name, this.map.has(name) ? `${this.map.get(name) ?? ''}, ${value}` : value);
  }

  delete(name: string): void {
    this.map.delete(name);
  }

  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  set(name: string, value: string): void {
    this.map.set(name, value);
  }

  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<string> {
    return this.map.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** The gateway context's `response.http`: its status reads and writes Apollo's response, through the prototype. */
class GatewayHttpResponse {
  readonly headers: HeaderMapHeaders;

  constructor(private readonly http: ApolloRequestContext['response']['http']) {
    this.headers = new HeaderMapHeaders(http.headers);
  }

  get status(): number | undefined {
    return this.http.status;
  }

  set status(status: number | undefined) {
    this.http.status = status;
  }
}

/** Apollo's `makeGatewayGraphQLRequestContext` (5.5.1), with `response.http` a {@link GatewayHttpResponse}. */
export const gatewayRequestContext: MakeGatewayContext = (requestContext, server, internals) => {
  const request: Record<string, unknown> = {};
  const from = requestContext.request;
  if ('query' in from) request.query = from.query;
  if ('operationName' in from) request.operationName = from.operationName;
  if ('variables' in from) request.variables = from.variables;
  if ('extensions' in from) request.extensions = from.extensions;
  if (from.http) {
    const needQuestion = from.http.search !== '' && !from.http.search.startsWith('?');
    request.http = {
      method: from.http.method,
      url: `https://unknown-url.invalid/${needQuestion ? '?' : ''}${from.http.search}`,
      headers: new HeaderMapHeaders(from.http.headers),
    };
  }
  return {
    request,
    response: { http: new GatewayHttpResponse(requestContext.response.http) },
    logger: server.logger,
    schema: requestContext.schema,
    schemaHash: 'schemaHash no longer exists since Apollo Server 4',
    context: requestContext.contextValue,
    cache: server.cache,
    queryHash: requestContext.queryHash,
    document: requestContext.document,
    source: requestContext.source,
    operationName: requestContext.operationName,
    operation: requestContext.operation,
    errors: requestContext.errors,
    metrics: requestContext.metrics,
    debug: internals.includeStacktraceInErrorResponses,
    overallCachePolicy: requestContext.overallCachePolicy,
    requestIsBatched: requestContext.requestIsBatched,
  };
};

/** Apollo's CommonJS module that holds the function (the one its pipeline calls it through). */
const apolloModule = createRequire(require.resolve('@apollo/server'))('./utils/makeGatewayGraphQLRequestContext.js') as {
  makeGatewayGraphQLRequestContext: MakeGatewayContext;
};

/** Apollo's own function, as it was before {@link installGatewayRequestContext} (for the tests that compare the two). */
export const apolloGatewayRequestContext: MakeGatewayContext = apolloModule.makeGatewayGraphQLRequestContext;

/**
 * Puts {@link gatewayRequestContext} in Apollo's module while Apollo's function has the literal accessors it replaces.
 * Returns whether the function Apollo calls now is ours.
 */
export function installGatewayRequestContext(): boolean {
  if (apolloModule.makeGatewayGraphQLRequestContext === gatewayRequestContext) return true;
  if (!/\bget status\(\)/.test(String(apolloModule.makeGatewayGraphQLRequestContext))) return false;
  apolloModule.makeGatewayGraphQLRequestContext = gatewayRequestContext;
  return true;
}

import http from 'node:http';
import net from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { buildSchema, printSchema } from 'graphql';
import type { Executor } from '../../src/db/executor';
import { createLoaders } from '../../src/loaders';
import { readPage, toConnection } from '../../src/common/pagination';
import { requestContext, requestContextOf } from '../../src/ops/requestContext';
import { createLogger } from '../../src/logger';
import { apolloGatewayRequestContext, gatewayRequestContext, installGatewayRequestContext } from '../../src/gatewayRequestContext';

/**
 * Objects made for every request keep their accessors on a prototype, never as own accessors of an object literal:
 * V8 puts a literal's accessor pair in old space, and what its closures hold then survives every young collection
 * (bench/README.md, "December 3rd, noon"). The lint rule `no-restricted-syntax` keeps literals out of src/; these
 * check the objects themselves, and Apollo's gateway request context, which src/gatewayRequestContext.ts replaces.
 */
const ownAccessors = (object: object): string[] =>
  Object.entries(Object.getOwnPropertyDescriptors(object))
    .filter(([, descriptor]) => descriptor.get !== undefined || descriptor.set !== undefined)
    .map(([name]) => name);

describe('per-request objects have no own accessors', () => {
  it('a connection answers totalCount from its prototype, and throws when it was not counted', () => {
    const counted = toConnection(['a', 'b', 'c'], readPage(2, null), 3);
    expect(ownAccessors(counted)).toEqual([]);
    expect(counted.totalCount).toBe(3);
    expect(counted.edges.map((edge) => edge.node)).toEqual(['a', 'b']);
    expect(counted.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: counted.edges[0]!.cursor, endCursor: counted.edges[1]!.cursor });
    const uncounted = toConnection(['a', 'b', 'c'], { ...readPage(2, null), countTotal: false }, null);
    expect(uncounted.pageInfo.hasNextPage).toBe(true);
    expect(() => uncounted.totalCount).toThrow(/not counted/);
    const withScores = toConnection([{ id: 'x', score: 2 }], readPage(5, null), 1, (hit, cursor) => ({ cursor, node: hit.id, score: hit.score }));
    expect(withScores.edges).toEqual([{ cursor: withScores.pageInfo.startCursor, node: 'x', score: 2 }]);
    expect(withScores.pageInfo).toMatchObject({ hasNextPage: false, endCursor: withScores.pageInfo.startCursor });
  });

  it("a request's loaders are made on first use, through the prototype", () => {
    const loaders = createLoaders({} as Executor, { role: 'journalist', keyId: 'k', keyName: 'test' });
    expect(ownAccessors(loaders)).toEqual([]);
    for (const name of ['node', 'relations', 'participants', 'statusEvents', 'claims', 'citationCount'] as const) {
      const loader = loaders[name];
      expect(typeof loader.load).toBe('function');
      expect(loaders[name]).toBe(loader);
    }
  });

  it("a request's context makes its child logger through the prototype", () => {
    const req = new http.IncomingMessage(new net.Socket());
    req.headers['x-request-id'] = 'req-1';
    const res = new http.ServerResponse(req);
    let nexts = 0;
    requestContext(createLogger({ logLevel: 'silent' }))(req, res, () => (nexts += 1));
    const context = requestContextOf(res);
    expect(nexts).toBe(1);
    expect(ownAccessors(context)).toEqual([]);
    expect(context.requestId).toBe('req-1');
    expect(context.logger).toBe(context.logger);
    expect(context.logger.bindings()).toMatchObject({ requestId: 'req-1' });
  });
});

describe("Apollo's gateway request context", () => {
  const apolloRequestContext = () => {
    const headers = new HeaderMap([['content-type', 'application/json'], ['x-a', '1']]);
    return {
      request: { query: '{ a }', operationName: 'A', variables: { v: 1 }, extensions: { e: true }, http: { method: 'POST', search: 'x=1', headers } },
      response: { http: { status: undefined as number | undefined, headers: new HeaderMap() } },
      contextValue: { mine: true },
      schema: 'schema',
      queryHash: 'hash',
      document: 'document',
      source: '{ a }',
      operationName: 'A',
      operation: 'operation',
      errors: [],
      metrics: { m: 1 },
      overallCachePolicy: 'policy',
      requestIsBatched: false,
    };
  };
  const server = { logger: 'logger', cache: 'cache' };
  const internals = { includeStacktraceInErrorResponses: false };
  type Made = { request: { http: { headers: Iterable<[string, string]> & { append(n: string, v: string): void } } }; response: { http: { status?: number; headers: Iterable<[string, string]> & { set(n: string, v: string): void } } } };

  it('is built by our function as by Apollo 5.5, without own accessors', () => {
    const [theirsIn, oursIn] = [apolloRequestContext(), apolloRequestContext()];
    const theirs = apolloGatewayRequestContext(theirsIn, server, internals) as Made;
    const ours = gatewayRequestContext(oursIn, server, internals) as Made;
    // Apollo's own has the literal accessors the replacement exists for (5.5.1); ours does not.
    expect(ownAccessors(theirs.response.http)).toEqual(['status']);
    expect(ownAccessors(ours.response.http)).toEqual([]);
    const plain = (made: Made) => {
      const { request, response, ...rest } = made;
      return { ...rest, request: { ...request, http: { ...request.http, headers: [...request.http.headers] } }, headers: [...response.http.headers], status: response.http.status };
    };
    expect(plain(ours)).toEqual(plain(theirs));
    for (const [made, input] of [[theirs, theirsIn], [ours, oursIn]] as const) {
      made.response.http.status = 418;
      made.response.http.headers.set('retry-after', '1');
      made.request.http.headers.append('x-a', '2');
      expect(input.response.http.status).toBe(418);
      expect(made.response.http.status).toBe(418);
      expect(input.response.http.headers.get('retry-after')).toBe('1');
      expect(input.request.http.headers.get('x-a')).toBe('1, 2');
    }
  });

  it('is ours in the requests Apollo serves through a gateway, and its status is the response status', async () => {
    expect(installGatewayRequestContext()).toBe(true);
    const schema = buildSchema('type Query { a: String }');
    const seen: object[] = [];
    const gateway: GatewayInterface = {
      onSchemaLoadOrUpdate(callback) {
        callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
        return () => {};
      },
      async load() {
        return {
          executor: async (requestContext) => {
            const responseHttp = requestContext.response!.http!;
            seen.push(responseHttp);
            responseHttp.status = 202;
            return { data: { a: 'x' } };
          },
        };
      },
      async stop() {},
    };
    const apollo = new ApolloServer({ gateway });
    await apollo.start();
    try {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: '{ a }' } },
        context: async () => ({}),
      });
      expect(response.status).toBe(202);
      expect(response.body.kind === 'complete' ? JSON.parse(response.body.string) : undefined).toEqual({ data: { a: 'x' } });
      expect(seen).toHaveLength(1);
      expect(ownAccessors(seen[0]!)).toEqual([]);
    } finally {
      await apollo.stop();
    }
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { sendBodyError, type BodyError } from '../security/bodyErrors';
import { wantsHtml } from '../web/web.routes';
import { jsonBody } from './jsonBody';
import { pathOf, runMiddleware, sendJson, type Middleware } from './middleware';

export interface GraphqlHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Run in order before the body is read: request context, metrics, rate limit. */
  before: readonly Middleware[];
  /** The largest JSON body accepted, in body-parser's notation (`100kb`); see src/http/jsonBody.ts. */
  bodyLimit: string;
  /** Builds a request's GraphQL context; runs inside Apollo, which answers its errors. */
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  logger: Logger;
}

/**
 * True for the requests the GraphQL handler answers: every method on `/graphql` (and below it, as
 * express's `app.use('/graphql')` matched), except a browser's HTML GET, which gets the explorer page.
 */
export function isGraphqlRequest(req: IncomingMessage): boolean {
  const path = pathOf(req).toLowerCase();
  if (path !== '/graphql' && !path.startsWith('/graphql/')) return false;
  return !((req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req));
}

/**
 * Serves GraphQL over HTTP on `node:http` alone, through Apollo's integration API
 * (`executeHTTPGraphQLRequest`, as @as-integrations/express5 does), without express's router and
 * request and response helpers. Those cost about 0.2 ms and 0.3 ms of CPU per request, a sixth of the
 * overhead on the cheapest queries (bench/README.md). The other routes stay on express.
 *
 *     const graphql = graphqlHttpHandler({ apollo, before: [requestContext(logger)], bodyLimit: '100kb', context, logger });
 *     http.createServer((req, res) => (isGraphqlRequest(req) ? graphql(req, res) : app(req, res)));
 */
export function graphqlHttpHandler<TContext extends BaseContext>(
  options: GraphqlHttpOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, bodyLimit, context, logger } = options;
  apollo.assertStarted('graphqlHttpHandler()');
  const steps: Middleware[] = [...options.before, jsonBody(bodyLimit)];

  const execute = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: query === -1 ? '' : url.slice(query),
        body: (req as { body?: unknown }).body,
      },
      context: () => context(req, res),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    // An answer depends on who asks (an investigator's names a victim): no cache keeps it. A POST's answer is not cached
    // without explicit freshness, so only a GET needs saying so.
    if (req.method === 'GET') res.setHeader('cache-control', 'no-store');
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const fail = (res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const bodyError = error as BodyError;
    if (bodyError && (typeof bodyError.type === 'string' || typeof bodyError.status === 'number')) {
      sendBodyError(res, bodyError, bodyLimit);
      return;
    }
    logger.error({ err: error }, 'GraphQL request failed outside Apollo');
    sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };

  return (req, res) => {
    runMiddleware(
      steps,
      req,
      res,
      () => void execute(req, res).catch((error: unknown) => fail(res, error)),
      (error) => fail(res, error),
    );
  };
}

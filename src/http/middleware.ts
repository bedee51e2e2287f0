import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Connect-style middleware over plain `node:http` objects. Express accepts it as it is (its request and
 * response extend these), and so does the direct GraphQL route (src/http/graphqlHttp.ts), which runs
 * without express.
 */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Runs `steps` in order, as express would: `done` after the last one calls `next()`, `fail` as soon as
 * one calls `next(error)` (or throws).
 */
export function runMiddleware(
  steps: readonly Middleware[],
  req: IncomingMessage,
  res: ServerResponse,
  done: () => void,
  fail: (error: unknown) => void,
): void {
  const step = (index: number, error?: unknown): void => {
    if (error !== undefined) return fail(error);
    const current = steps[index];
    if (!current) return done();
    try {
      current(req, res, (next?: unknown) => step(index + 1, next));
    } catch (thrown) {
      fail(thrown);
    }
  };
  step(0);
}

/** The path of a request's URL, without its query string. */
export function pathOf(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Sends a JSON body with its status and length, through the `node:http` API alone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { pathOf, type Middleware } from '../http/middleware';
import { RequestCancellation, type CancellationSignal } from './cancellation';

/** What every HTTP request carries from the first middleware on (kept per response; see {@link requestContextOf}). */
export interface RequestContext {
  /** The caller's `x-request-id` when it is a sane token, else a new UUID; echoed in the response. */
  readonly requestId: string;
  /** The process logger with `requestId` bound. */
  readonly logger: Logger;
  /** Aborted when the client closes the connection before the response was sent. */
  readonly signal: CancellationSignal;
}

/** Request ids we accept from callers (and load balancers): short, no spaces or control characters. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * One request's context. Its logger, the process logger with `requestId` bound, is made when something logs (most
 * requests log nothing below the production level). A class, for that getter: V8 makes each getter of an object
 * literal an accessor pair in old space, which kept what the getter closed over alive through young collections
 * (see `RequestLoaders` in src/loaders.ts).
 */
class HttpRequestContext implements RequestContext {
  readonly signal = new RequestCancellation();
  readonly #parent: Logger;
  #child: Logger | undefined;

  constructor(
    readonly requestId: string,
    parent: Logger,
  ) {
    this.#parent = parent;
  }

  get logger(): Logger {
    return (this.#child ??= this.#parent.child({ requestId: this.requestId }));
  }
}

/** Each response's context, set by {@link requestContext}. */
const contexts = new WeakMap<ServerResponse, RequestContext>();

/**
 * Middleware (for express and for the direct GraphQL route): picks the request id, binds it to a child
 * logger, aborts a signal when the client goes away, and writes one `request` log line per response
 * (method, path, status, ms).
 *
 *     app.use(requestContext(logger));
 *     const { requestId, signal } = requestContextOf(res);
 */
export function requestContext(logger: Logger): Middleware {
  return (req, res, next) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const context = new HttpRequestContext(requestId, logger);
    contexts.set(res, context);
    const started = process.hrtime.bigint();
    const path = pathOf(req);
    res.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      if (!res.writableFinished) {
        context.signal.abort();
        if (logger.isLevelEnabled('info')) context.logger.info({ method: req.method, path, ms }, 'client went away; request cancelled');
        return;
      }
      const level = res.statusCode >= 500 ? 'warn' : 'info';
      if (logger.isLevelEnabled(level)) context.logger[level]({ method: req.method, path, status: res.statusCode, ms }, 'request');
    });
    next();
  };
}

/** The {@link RequestContext} set by {@link requestContext}; throws if that middleware did not run. */
export function requestContextOf(res: ServerResponse): RequestContext {
  const context = contexts.get(res);
  if (!context) throw new Error('requestContext middleware is not installed');
  return context;
}

import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestLimitsConfig } from '../config';
import { hashApiKey } from '../auth/apiKeys';
import { sendJson, type Middleware } from '../http/middleware';

/**
 * Who a request counts against: its API key (by hash, so no database read is needed and the key
 * itself is never kept in memory), or its address (from `ipKeyGenerator`: IPv6 by /56) when it has none.
 */
export function rateLimitKey(authorization: string | undefined, address: string): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  return token ? `key:${hashApiKey(token)}` : `ip:${address}`;
}

/**
 * Per-key rate limiting: at most `limits.rateLimit` requests per `limits.rateLimitWindowMs` for each
 * API key, or each IP without a key. Over the limit the answer is 429 with `Retry-After` and a
 * GraphQL-shaped JSON body. A limit of 0 turns it off.
 *
 * It runs on plain `node:http` objects as well as on express's, so that the GraphQL route can skip
 * express (src/http/graphqlHttp.ts): the address is the socket's (the server trusts no proxy headers,
 * as express does by default), and the 429 is written without express's response helpers.
 *
 *     app.use('/saved', createRateLimiter(config.limits), ...)
 */
export function createRateLimiter(limits: RequestLimitsConfig): Middleware {
  if (limits.rateLimit === 0) return (_req, _res, next) => next();
  const seconds = Math.round(limits.rateLimitWindowMs / 1000);
  const limiter: RequestHandler = rateLimit({
    windowMs: limits.rateLimitWindowMs,
    limit: limits.rateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req: IncomingMessage) => rateLimitKey(req.headers.authorization, ipKeyGenerator(req.socket.remoteAddress ?? 'unknown')),
    handler: (_req, res) => {
      sendJson(res, 429, {
        errors: [
          {
            message: `Too many requests: at most ${limits.rateLimit} every ${seconds} s per API key (or per address without a key). Retry after the time in the Retry-After header.`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
    },
  });
  return (req, res, next) => void limiter(req as Request, res as Parameters<RequestHandler>[1], next);
}

import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestLimitsConfig } from '../config';
import { hashApiKey } from '../auth/apiKeys';

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
 *     app.use('/graphql', createRateLimiter(config.limits), ...)
 */
export function createRateLimiter(limits: RequestLimitsConfig): RequestHandler {
  if (limits.rateLimit === 0) return (_req, _res, next) => next();
  const seconds = Math.round(limits.rateLimitWindowMs / 1000);
  return rateLimit({
    windowMs: limits.rateLimitWindowMs,
    limit: limits.rateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => rateLimitKey(req.headers.authorization, ipKeyGenerator(req.ip ?? 'unknown')),
    handler: (_req, res) => {
      res.status(429).json({
        errors: [
          {
            message: `Too many requests: at most ${limits.rateLimit} every ${seconds} s per API key (or per address without a key). Retry after the time in the Retry-After header.`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
    },
  });
}

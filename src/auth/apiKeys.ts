import crypto, { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Executor } from '../db/executor';
import { UnauthenticatedError } from '../errors';
import { isRole, PUBLIC_VIEWER, type Role, type Viewer } from './viewer';
import { createApiKey, findApiKeyByHash, stampApiKeyUse, type ApiKeyRecord } from './apiKeys.queries';

const KEY_PREFIX = 'tg_';

/**
 * `lastUsedAt` is kept to the minute: stamping it on every request would make every read a write
 * transaction and make concurrent requests with one key contend for the same node.
 */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Node's one-shot hash (20.12 and later): no `Hash` object per call, which the hash of every request's key made. */
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

/** SHA-256 of a key: keys are long random strings, so a fast hash is the standard choice (no salt needed). */
export function hashApiKey(key: string): string {
  return oneShotHash ? oneShotHash('sha256', key, 'hex') : createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Creates a key for `role` and returns it; only its hash is stored, so this is the one time it is seen.
 *
 *     const { key } = await issueApiKey(executor, 'journalist', 'Newsroom laptop');
 */
export async function issueApiKey(executor: Executor, role: Role, name: string | null): Promise<{ id: string; key: string }> {
  const id = `key_${randomBytes(6).toString('hex')}`;
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  await executor.write(createApiKey({ id, hash: hashApiKey(key), role, name, createdAt: new Date().toISOString() }));
  return { id, key };
}

/**
 * The viewer of a request from its Authorization header. No header: the public role.
 * A malformed, unknown or revoked key is UNAUTHENTICATED, never a silent downgrade to public.
 * Reads the key every time; the server uses an {@link ApiKeyAuthenticator}, which remembers live keys briefly.
 */
export async function authenticate(header: string | undefined, executor: Executor): Promise<Viewer> {
  return new ApiKeyAuthenticator({ cacheMs: 0 }).authenticate(header, executor);
}

/**
 * Authenticates requests, remembering each live key's viewer for `cacheMs` (TG_AUTH_CACHE_MS), so a
 * busy client does not cost a database read per request. The cache is keyed by the key's hash (the key
 * itself is never kept), holds at most `maxKeys` keys, and never holds an unknown or revoked key. The
 * price: a key revoked in the database keeps working for at most `cacheMs` on each API instance;
 * `cacheMs: 0` reads the key on every request.
 *
 *     const auth = new ApiKeyAuthenticator({ cacheMs: config.authCacheMs });
 *     const viewer = await auth.authenticate(req.headers.authorization, executor);
 */
export class ApiKeyAuthenticator {
  private readonly cache: LRUCache<string, Viewer> | undefined;

  constructor(options: { cacheMs: number; maxKeys?: number }) {
    // ttlResolution 0: read the clock at each lookup. lru-cache's default (1 ms) caches the time and sets a timer
    // to forget it, so nearly every request scheduled and fired one timer for this cache alone.
    this.cache =
      options.cacheMs > 0 ? new LRUCache<string, Viewer>({ max: options.maxKeys ?? 1000, ttl: options.cacheMs, ttlResolution: 0 }) : undefined;
  }

  async authenticate(header: string | undefined, executor: Executor): Promise<Viewer> {
    // No header is the public. An empty one is a client that meant to send a key and has none (an unset variable):
    // answered 401 like any malformed header, not quietly as the public, which would hide every victim unannounced.
    if (header === undefined) return PUBLIC_VIEWER;
    const match = /^Bearer\s+(tg_[A-Za-z0-9_-]{20,64})$/.exec(header.trim());
    if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <API key>".');
    const hash = hashApiKey(match[1]);
    const cached = this.cache?.get(hash);
    if (cached) return cached;
    const [record] = await executor.read<ApiKeyRecord>(findApiKeyByHash(hash));
    if (!record || record.revoked || !isRole(record.role)) throw new UnauthenticatedError();
    const now = Date.now();
    const staleBefore = new Date(now - LAST_USED_RESOLUTION_MS).toISOString();
    if (!record.lastUsedAt || record.lastUsedAt < staleBefore) {
      await executor.write(stampApiKeyUse(record.id, new Date(now).toISOString(), staleBefore));
    }
    const viewer: Viewer = Object.freeze({ role: record.role, keyId: record.id, keyName: record.name });
    this.cache?.set(hash, viewer);
    return viewer;
  }
}

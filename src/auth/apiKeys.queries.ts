import type { Statement } from '../db/executor';

export interface ApiKeyRecord {
  id: string;
  role: string;
  name: string | null;
  revoked: boolean;
  lastUsedAt: string | null;
}

/** The key whose SHA-256 hash is `hash`. A read: authenticating a request writes nothing. */
export function findApiKeyByHash(hash: string): Statement {
  return {
    cypher: `MATCH (k:ApiKey {hash: $hash})
RETURN k.id AS id, k.role AS role, k.name AS name, k.revokedAt IS NOT NULL AS revoked, k.lastUsedAt AS lastUsedAt`,
    params: { hash },
  };
}

/** Stamps a live key's last use, unless another request stamped it after `staleBefore`. */
export function stampApiKeyUse(id: string, now: string, staleBefore: string): Statement {
  return {
    cypher: `MATCH (k:ApiKey {id: $id})
WHERE k.revokedAt IS NULL AND (k.lastUsedAt IS NULL OR k.lastUsedAt < $staleBefore)
SET k.lastUsedAt = $now`,
    params: { id, now, staleBefore },
  };
}

/** Stores a new key by its hash only. */
export function createApiKey(key: { id: string; hash: string; role: string; name: string | null; createdAt: string }): Statement {
  return {
    cypher: `CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, name: $name, createdAt: $createdAt}) RETURN k.id AS id`,
    params: key,
  };
}

/** Marks a key revoked; returns its id when it existed. */
export function revokeApiKey(id: string, now: string): Statement {
  return {
    cypher: `MATCH (k:ApiKey {id: $id}) SET k.revokedAt = coalesce(k.revokedAt, $now) RETURN k.id AS id`,
    params: { id, now },
  };
}

/** Every key, without hashes. */
export function listApiKeys(): Statement {
  return {
    cypher: `MATCH (k:ApiKey) RETURN k.id AS id, k.role AS role, k.name AS name, k.createdAt AS createdAt,
  k.lastUsedAt AS lastUsedAt, k.revokedAt AS revokedAt ORDER BY k.createdAt`,
    params: {},
  };
}

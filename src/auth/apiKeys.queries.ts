import type { Statement } from '../db/executor';

export interface ApiKeyRecord {
  id: string;
  role: string;
  name: string | null;
  revoked: boolean;
}

/** The key whose SHA-256 hash is `hash`, stamping its last use. */
export function touchApiKeyByHash(hash: string, now: string): Statement {
  return {
    cypher: `MATCH (k:ApiKey {hash: $hash})
SET k.lastUsedAt = CASE WHEN k.revokedAt IS NULL THEN $now ELSE k.lastUsedAt END
RETURN k.id AS id, k.role AS role, k.name AS name, k.revokedAt IS NOT NULL AS revoked`,
    params: { hash, now },
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

import type { Statement } from '../db/executor';
import { int } from '../db/executor';

/** A :SavedQuery node as stored; `parameters` is JSON text. */
export interface StoredSavedQueryRow {
  query: {
    name: string;
    version: number;
    title: string;
    description: string | null;
    document: string;
    sha256: string;
    parameters: string;
    owner: string | null;
    createdAt: string;
    retiredAt: string | null;
  };
}

const PROJECT = 'q {.name, .version, .title, .description, .document, .sha256, .parameters, .owner, .createdAt, .retiredAt}';

/** The latest version of every user-saved query whose latest version is not retired, by name. */
export function listLatestSavedQueries(): Statement {
  return {
    cypher: `MATCH (q:SavedQuery)
WITH q ORDER BY q.version DESC
WITH q.name AS name, head(collect(q)) AS q
WHERE q.retiredAt IS NULL
RETURN ${PROJECT} AS query
ORDER BY name`,
    params: {},
  };
}

/** One version of a user-saved query, or its latest when `version` is null. */
export function findSavedQueryVersion(name: string, version: number | null): Statement {
  return {
    cypher: `MATCH (q:SavedQuery {name: $name})
WHERE $version IS NULL OR q.version = $version
RETURN ${PROJECT} AS query
ORDER BY q.version DESC
LIMIT 1`,
    params: { name, version: version === null ? null : int(version) },
  };
}

/** Every stored version with this document hash (any name, retired or not). */
export function findSavedQueriesByHash(sha256: string): Statement {
  return {
    cypher: `MATCH (q:SavedQuery {sha256: $sha256}) RETURN ${PROJECT} AS query`,
    params: { sha256 },
  };
}

/** The owners and latest version number of a name, for the ownership check before saving a new version. */
export interface SavedQueryHeadRow {
  latest: number | null;
  owner: string | null;
}

export function findSavedQueryHead(name: string): Statement {
  return {
    cypher: `OPTIONAL MATCH (q:SavedQuery {name: $name})
WITH q ORDER BY q.version ASC
WITH collect(q) AS versions
RETURN CASE WHEN size(versions) = 0 THEN null ELSE last(versions).version END AS latest,
       CASE WHEN size(versions) = 0 THEN null ELSE head(versions).owner END AS owner`,
    params: { name },
  };
}

/** Creates one immutable version; `key` ("name@version") is unique, so a concurrent save of the same version fails. */
export function createSavedQueryVersion(record: Omit<StoredSavedQueryRow['query'], 'retiredAt'>): Statement {
  return {
    cypher: `CREATE (q:SavedQuery {key: $name + '@' + toString($version), name: $name, version: $version, title: $title,
  description: $description, document: $document, sha256: $sha256, parameters: $parameters, owner: $owner, createdAt: $createdAt})
RETURN ${PROJECT} AS query`,
    params: { ...record, version: int(record.version) },
  };
}

/** Marks every version of a name retired (those already retired keep their date). */
export function retireSavedQueryVersions(name: string, at: string): Statement {
  return {
    cypher: `MATCH (q:SavedQuery {name: $name})
SET q.retiredAt = coalesce(q.retiredAt, $at)
WITH q ORDER BY q.version DESC
RETURN ${PROJECT} AS query
LIMIT 1`,
    params: { name, at },
  };
}

/** One parameter of a saved query: a variable of its document, described for people. */
export interface SavedQueryParameterRecord {
  name: string;
  /** GraphQL type as written, e.g. `String!` or `[EventKind!]`. */
  type: string;
  /** The default as a GraphQL literal (`2`, `"kh"`, `[OPERATING]`), or null. */
  default: string | null;
  description: string | null;
  required: boolean;
}

/** A saved query, built-in or user-saved: one immutable version. */
export interface SavedQueryRecord {
  name: string;
  title: string;
  description: string;
  version: number;
  builtIn: boolean;
  document: string;
  /** SHA-256 hex of `document`, the persisted-query id. */
  sha256: string;
  parameters: SavedQueryParameterRecord[];
  owner: string | null;
  createdAt: string | null;
  retiredAt: string | null;
}

/** A saved query's answer: the raw data plus the same answer as a table. */
export interface SavedQueryResultRecord {
  name: string;
  version: number;
  data: Record<string, unknown> | null;
  rows: Record<string, string | number | boolean | null>[];
  columns: string[];
}

/** Saved-query names: a letter, then letters, digits, `-` or `_`; at most 64 characters. */
export const SAVED_QUERY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Root fields a saved document may not select: saved queries run queries, never the registry itself. */
export const REGISTRY_FIELDS = ['savedQueries', 'savedQuery', 'runSavedQuery', 'saveQuery', 'retireSavedQuery'] as const;

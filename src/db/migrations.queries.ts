import { int, type Statement } from './executor';
import { STORED_TEXT_FIELDS } from '../resolution/victimText';

/**
 * Cypher of the one-time backfills in src/db/migrations.ts. Each is recorded as a `(:Migration {id})` node when
 * it has run.
 */

/** A record's free-text fields in {@link STORED_TEXT_FIELDS} order, '' where it has none, and how to find it again. */
export interface TextRow {
  id: string;
  ref: string;
  texts: string[];
}

/** Any character outside ASCII (a Java regular expression; `(?s)` lets `.` cross line breaks). */
const NON_ASCII = '(?s).*[^\\x00-\\x7F].*';

/** The record's texts as a list, in {@link STORED_TEXT_FIELDS} order, '' for a missing one. */
const textsOf = (variable: string): string => `[t IN [${STORED_TEXT_FIELDS.map((field) => `${variable}.${field}`).join(', ')}] | coalesce(t, '')]`;

/** The migration `id`, or no row when it has not run. */
export function findMigration(id: string): Statement {
  return { cypher: 'MATCH (m:Migration {id: $id}) RETURN m.id AS id', params: { id } };
}

/** Records the migration `id` as done. */
export function recordMigration(id: string): Statement {
  return { cypher: 'MERGE (m:Migration {id: $id}) SET m.at = datetime() RETURN m.id AS id', params: { id } };
}

/**
 * Up to `limit` nodes of `label` (`Node` or `Claim`, both unique by id) with an id after `after` and some free text
 * outside ASCII, in id order (the id index gives it, so each page reads on from the last).
 */
export function nodesWithNonAsciiText(label: 'Node' | 'Claim', after: string, limit: number): Statement {
  return {
    cypher: `MATCH (n:${label}) WHERE n.id > $after AND any(t IN ${textsOf('n')} WHERE t =~ $nonAscii)
RETURN n.id AS id, elementId(n) AS ref, ${textsOf('n')} AS texts
ORDER BY n.id
LIMIT $limit`,
    params: { after, limit: int(limit), nonAscii: NON_ASCII },
  };
}

/** Every relationship whose position holds a character outside ASCII (few: a position is a few words). */
export function relationshipsWithNonAsciiText(): Statement {
  return {
    cypher: `MATCH ()-[r]->() WHERE r.position =~ $nonAscii
RETURN r.id AS id, elementId(r) AS ref, ${textsOf('r')} AS texts`,
    params: { nonAscii: NON_ASCII },
  };
}

/** Sets each node's `readText`, unless its text changed since it was read. */
export function setReadText(rows: { ref: string; texts: string[]; readText: string }[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.ref AND ${textsOf('n')} = row.texts
SET n.readText = row.readText
RETURN count(n) AS count`,
    params: { rows },
  };
}

/** Sets each relationship's `readText`, unless its text changed since it was read. */
export function setRelationshipReadText(rows: { ref: string; texts: string[]; readText: string }[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.ref AND ${textsOf('r')} = row.texts
SET r.readText = row.readText
RETURN count(r) AS count`,
    params: { rows },
  };
}

import type { Statement } from '../db/executor';
import type { RelationType } from '../relation/relation.model';
import { UNSPACED_SCRIPTS } from '../resolution/victimText';

/**
 * Idempotent writes of the dataset loader. Every node is MERGEd on its id and its properties replaced
 * (`SET n = row.props`), so loading the same rows twice leaves the graph unchanged.
 * Labels and relationship types are interpolated only from closed lists.
 */

export type EntityLabel = 'Person' | 'Organisation' | 'Compound' | 'Event' | 'Source';

export interface NodeRow {
  id: string;
  props: Record<string, unknown>;
  victim?: boolean;
  latitude?: number | null;
  longitude?: number | null;
}

/**
 * Properties the dataset format does not carry, set by the write API and entity resolution: a record written
 * again over a stored node keeps them, so a re-import neither brings back a retired entity nor forgets a merge.
 */
export const SYSTEM_PROPERTIES = ['retiredAt', 'retiredBy', 'mergedIds'] as const;

/** `SET n = row.props` that keeps {@link SYSTEM_PROPERTIES}: the Cypher, for a node or relationship variable `v`. */
function replaceProperties(v: string): string {
  return `WITH *, ${v} {${SYSTEM_PROPERTIES.map((p) => `.${p}`).join(', ')}} AS kept
SET ${v} = row.props
SET ${v} += kept`;
}

/** MERGE nodes of one label; sets :Node, the :Victim flag label and a WGS-84 point when given. */
export function mergeNodes(label: EntityLabel, rows: NodeRow[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MERGE (n:${label} {id: row.id})
${replaceProperties('n')}
SET n:Node
SET n.location = CASE WHEN row.latitude IS NULL THEN null ELSE point({latitude: row.latitude, longitude: row.longitude}) END
WITH n, row
CALL (n, row) { WITH n, row WHERE coalesce(row.victim, false) SET n:Victim }
CALL (n, row) { WITH n, row WHERE NOT coalesce(row.victim, false) REMOVE n:Victim }
RETURN count(n) AS count`,
    params: { rows },
  };
}

/** Links nodes (label Node) or claims (label Claim) to the sources that cite them, replacing earlier links. */
export function linkSources(label: 'Node' | 'Claim', rows: { id: string; sources: string[] }[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH (n:${label} {id: row.id})
OPTIONAL MATCH (n)-[old:SOURCED_BY]->(s:Source) WHERE NOT s.id IN row.sources
DELETE old
WITH DISTINCT n, row
UNWIND row.sources AS sourceId
MATCH (s:Source {id: sourceId})
MERGE (n)-[:SOURCED_BY]->(s)
RETURN count(*) AS count`,
    params: { rows },
  };
}

export interface EventLinkRow {
  id: string;
  compound: string | null;
  fromCompound: string | null;
  toCompound: string | null;
  participants: { id: string; role: string; relId: string }[];
  sources: string[];
}

/** Replaces an event's AT/FROM/TO links and INVOLVES participants. */
export function linkEvents(rows: EventLinkRow[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH (e:Event {id: row.id})
OPTIONAL MATCH (e)-[old:AT|FROM|TO|INVOLVES]->()
DELETE old
WITH DISTINCT e, row
CALL (e, row) {
  OPTIONAL MATCH (c:Compound {id: row.compound})
  FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (e)-[:AT]->(c))
}
CALL (e, row) {
  OPTIONAL MATCH (c:Compound {id: row.fromCompound})
  FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (e)-[:FROM]->(c))
}
CALL (e, row) {
  OPTIONAL MATCH (c:Compound {id: row.toCompound})
  FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (e)-[:TO]->(c))
}
CALL (e, row) {
  UNWIND row.participants AS p
  MATCH (x:Node {id: p.id})
  MERGE (e)-[r:INVOLVES {role: p.role}]->(x)
  SET r.id = p.relId, r.sources = row.sources
}
RETURN count(e) AS count`,
    params: { rows },
  };
}

export interface RelationshipRow {
  id: string;
  from: string;
  to: string;
  props: Record<string, unknown>;
}

/** MERGE relationships of one type on their id, replacing their properties. */
export function mergeRelationships(type: RelationType, rows: RelationshipRow[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:${type} {id: row.id}]->(b)
${replaceProperties('r')}
RETURN count(r) AS count`,
    params: { rows },
  };
}

export interface ClaimRow {
  id: string;
  subject: string;
  props: Record<string, unknown>;
}

/** MERGE claims and their ABOUT link to the subject, replacing a link to another subject (a claim is about one). */
export function mergeClaims(rows: ClaimRow[]): Statement {
  return {
    cypher: `UNWIND $rows AS row
MATCH (subject:Node {id: row.subject})
MERGE (c:Claim {id: row.id})
SET c = row.props
WITH c, subject
OPTIONAL MATCH (c)-[old:ABOUT]->(other) WHERE other <> subject
DELETE old
WITH DISTINCT c, subject
MERGE (c)-[:ABOUT]->(subject)
RETURN count(c) AS count`,
    params: { rows },
  };
}

/** Which of `ids` were merged away into another entity, with the entity that holds each now. */
export function findMergedAway(ids: string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (m:Merged {id: id})
OPTIONAL MATCH (r:Merge {mergedId: id}) WHERE r.active
RETURN id, coalesce(r.keptId, 'another entity') AS keptId`,
    params: { ids },
  };
}

/** Which of `ids` exist (and of those which are retired, which are victims), and which were merged away (with the kept id), for reference checks. */
export function findExistingIds(ids: string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
OPTIONAL MATCH (n:Node {id: id})
OPTIONAL MATCH (m:Merge {mergedId: id, active: true}) WHERE n IS NULL
RETURN collect(n.id) AS existing, collect(CASE WHEN n.retiredAt IS NOT NULL THEN n.id END) AS retired,
  collect(CASE WHEN n:Victim THEN n.id END) AS victims, collect(CASE WHEN m IS NOT NULL THEN [id, m.keptId] END) AS merged`,
    params: { ids },
  };
}

/** A stored victim's name and aliases, for the free-text rule (src/resolution/victimText.ts). */
export interface VictimNamesRow {
  id: string;
  name: string;
  aliases: string[] | null;
}

/** The stored victims among `ids`, with their names and aliases. */
export function findVictimNames(ids: string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id MATCH (p:Node {id: id}) WHERE p:Victim RETURN p.id AS id, p.name AS name, p.aliases AS aliases`,
    params: { ids },
  };
}

/** Every stored victim that one of `queries` (src/resolution/victimText.ts, `victimCandidateQueries`) finds in `victim_names`. */
export function findVictimsByNameWords(queries: string[]): Statement {
  return {
    cypher: `UNWIND $queries AS query
CALL db.index.fulltext.queryNodes('victim_names', query) YIELD node
RETURN DISTINCT node.id AS id, node.name AS name, node.aliases AS aliases`,
    params: { queries },
  };
}

/**
 * Every stored victim with a name or alias in a script written without spaces between words (Chinese, Japanese
 * kana, Thai, Lao, Khmer, Burmese) or in Korean: the full-text index cannot find such a name inside a longer run of
 * text (or, in Korean, joined to its particle), so a text in those scripts is checked against all of them
 * (src/resolution/victimText.ts). A scan of the victims, sent only for a load with such text.
 */
export function findVictimsWithUnspacedNames(): Statement {
  return {
    cypher: `MATCH (v:Victim)
WHERE v.name =~ $pattern OR any(alias IN coalesce(v.aliases, []) WHERE alias =~ $pattern)
RETURN v.id AS id, v.name AS name, v.aliases AS aliases`,
    // Java's regular expressions name a script `\p{IsHan}`.
    params: { pattern: `(?s).*[${UNSPACED_SCRIPTS.map((script) => `\\p{Is${script}}`).join('')}].*` },
  };
}

/**
 * Takes the lock that every write of text or victims holds until it commits (a write lock on one `WriteLock`
 * node), so the victim-name rule is checked inside the write's own transaction against everything committed before
 * it: two loads cannot each pass the rule while one adds a victim and the other text that names them.
 */
export function lockVictimText(): Statement {
  return {
    cypher: `MERGE (l:WriteLock {id: 'victim-text'}) SET l.heldAt = datetime() RETURN l.id AS id`,
    params: {},
  };
}

/** A stored record with free text: what kind it is, its id, its free-text fields, and the victim it was looked up for. */
export interface StoredTextRow {
  victimId: string;
  kind: 'person' | 'compound' | 'organisation' | 'event' | 'source' | 'claim' | 'relationship';
  id: string;
  text: Record<string, string | null>;
}

/**
 * For each query (a victim's name, as `storedTextQuery` builds it), the stored records every role reads
 * whose free text might hold it: nodes in `free_text`, `person_position_text` and `read_text`, relationships in `relation_free_text` and
 * `relation_read_text` (the `readText` of text with invisible characters or look-alike letters in it). Left out:
 * retired records, victims' own records and claims about victims (shown to journalists masked), `except` (the
 * records a load replaces, judged by their new text) and claims about `exceptSubjects` (the two records of a merge).
 */
export function findStoredTextsNaming(queries: { victimId: string; query: string }[], except: string[], exceptSubjects: string[]): Statement {
  return {
    cypher: `UNWIND $queries AS q
CALL (q) {
  CALL (q) {
    CALL db.index.fulltext.queryNodes('free_text', q.query) YIELD node RETURN node
    UNION
    CALL db.index.fulltext.queryNodes('person_position_text', q.query) YIELD node RETURN node
    UNION
    CALL db.index.fulltext.queryNodes('read_text', q.query) YIELD node RETURN node
  }
  WITH node WHERE node.retiredAt IS NULL AND NOT node:Victim AND NOT node.id IN $except
    AND NOT (node:Claim AND (node.subject IN $exceptSubjects OR EXISTS { MATCH (subject:Node {id: node.subject}) WHERE subject:Victim }))
  RETURN CASE WHEN node:Claim THEN 'claim' ELSE toLower(head([l IN labels(node) WHERE l IN ['Person','Compound','Organisation','Event','Source']])) END AS kind,
    node.id AS id, node {.title, .description, .place, .notes, .value, .note, .position} AS text
  UNION
  CALL (q) {
    CALL db.index.fulltext.queryRelationships('relation_free_text', q.query) YIELD relationship RETURN relationship
    UNION
    CALL db.index.fulltext.queryRelationships('relation_read_text', q.query) YIELD relationship RETURN relationship
  }
  WITH relationship WHERE relationship.retiredAt IS NULL AND NOT relationship.id IN $except
  RETURN 'relationship' AS kind, relationship.id AS id, relationship {.position} AS text
}
RETURN q.victimId AS victimId, kind, id, text`,
    params: { queries, except, exceptSubjects },
  };
}

import { int, type Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import type { MergeClaim } from './mergeClaims';

/**
 * Cypher of entity resolution: blocking candidate pairs, judgements, and the merge/unmerge rewiring.
 * Labels come only from {@link RESOLVABLE_LABELS}; every value is a parameter.
 */

/** The labels whose nodes can be resolved (and merged). */
export const RESOLVABLE_LABELS = ['Person', 'Organisation', 'Compound'] as const;
export type ResolvableLabel = (typeof RESOLVABLE_LABELS)[number];

/** Relationship types that carry no properties of their own: a merge does not duplicate them on the kept node. */
const PLAIN_TYPES = ['SOURCED_BY', 'AT', 'FROM', 'TO', 'ABOUT'];

/** Labels a merge removes from the merged node (and an unmerge puts back, from its record). */
export const MERGED_NODE_LABELS = ['Node', 'Person', 'Organisation', 'Compound', 'Victim'] as const;

export interface CandidatePairRow {
  a: Record<string, unknown>;
  b: Record<string, unknown>;
  shared: number;
}

/**
 * Candidate pairs by blocking: two live entities of `label` share a name key (sorted, folded tokens of a name
 * or alias, `nameKeys` written at load) or a name token of four or more letters. Blocks larger than
 * `maxBlock` are skipped (too common to be evidence). Pairs judged NEGATIVE are left out; victims unless
 * `includeVictims`. Returns both nodes and their count of shared neighbours (sources excluded).
 */
export function findCandidatePairs(label: ResolvableLabel, includeVictims: boolean, maxBlock = 50): Statement {
  return {
    cypher: `MATCH (a:${label})
WHERE a.retiredAt IS NULL AND a.nameKeys IS NOT NULL AND ($includeVictims OR NOT a:Victim)
UNWIND a.nameKeys AS key
WITH a, [key] + [t IN split(key, ' ') WHERE size(t) >= 4] AS blocks
UNWIND blocks AS block
WITH block, collect(DISTINCT a) AS members
WHERE size(members) > 1 AND size(members) <= $maxBlock
UNWIND members AS a
UNWIND members AS b
WITH DISTINCT a, b WHERE a.id < b.id
  AND NOT EXISTS { MATCH (j:Judgement {pair: a.id + '|' + b.id}) WHERE j.judgement = 'NEGATIVE' }
RETURN ${projectNode('a')} AS a, ${projectNode('b')} AS b,
  COUNT { MATCH (a)--(x:Node)--(b) WHERE NOT x:Source RETURN DISTINCT x } AS shared`,
    params: { includeVictims, maxBlock: int(maxBlock) },
  };
}

/** The stored form of a judgement. `pair` is the two ids in sorted order joined by `|`. */
export interface JudgementRow {
  id: string;
  pair: string;
  a: string;
  b: string;
  judgement: 'POSITIVE' | 'NEGATIVE' | 'UNSURE';
  reason: string;
  at: string;
  keyId: string | null;
  role: string;
  mergeId: string | null;
}

/** Appends a judgement (judgements are never changed; the newest one on a pair wins where it matters). */
export function createJudgement(row: JudgementRow): Statement {
  return {
    cypher: 'CREATE (j:Judgement) SET j = $row RETURN j.id AS id',
    params: { row: Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) },
  };
}

/** The judgements on the pair, newest first. */
export function findJudgementsByPair(pair: string): Statement {
  return { cypher: 'MATCH (j:Judgement {pair: $pair}) RETURN j {.*} AS judgement ORDER BY j.at DESC', params: { pair } };
}

export interface MergeSubjectRow {
  id: string;
  labels: string[];
  props: Record<string, unknown>;
}

/** The live (not retired, not merged) resolvable nodes among `ids`. */
export function findMergeSubjects(ids: string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id MATCH (n:Node {id: id})
WHERE n.retiredAt IS NULL AND any(l IN labels(n) WHERE l IN $labels)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props`,
    params: { ids, labels: [...RESOLVABLE_LABELS] },
  };
}

/** Copies the kept node's properties to a snapshot node, for an exact unmerge. */
export function snapshotNode(keptId: string, mergeId: string): Statement {
  return {
    cypher: `MATCH (k:Node {id: $keptId})
CREATE (s:MergeSnapshot) SET s = properties(k), s.snapshotOf = $mergeId
RETURN s.snapshotOf AS id`,
    params: { keptId, mergeId },
  };
}

/**
 * Re-points every relationship of the merged node `m` onto the kept node `k`: each gets a copy on `k`
 * (marked `mergedFrom: mergeId`; property-less links such as SOURCED_BY are not copied when `k` already
 * has the same one), and the original is parked on `m` as MERGE_PARKED with its type in `parkedType`.
 * Relationships between the two nodes are only parked. Returns how many were re-pointed.
 *
 * A copy's `id` names the kept node (`person:kept|WORKS_AT|compound:x`), so `updateRelationship` and `retireRelationship`
 * find it by the id `relations` answers, and importing the same tie from the kept entity writes over it instead of adding
 * a second; when the kept node has that relationship already, the copy gets the key `merged-` and 8 characters of the
 * merge's id, and keeps both facts apart. Until December 5th, 2026 a copy kept the merged node's id, and could be found by
 * it no more.
 */
export function repointRelationships(mergedId: string, keptId: string, mergeId: string): Statement {
  return {
    cypher: `MATCH (m:Node {id: $mergedId}), (k:Node {id: $keptId})
CALL (m, k) {
  MATCH (m)-[r]->(o) WHERE type(r) <> 'MERGE_PARKED'
  WITH m, k, r, o, type(r) AS t, properties(r) AS p
  CALL (k, o, t, p) {
    WITH k, o, t, p WHERE o <> k AND NOT (t IN $plain AND EXISTS { MATCH (k)-[x]->(o) WHERE type(x) = t })
    WITH k, o, t, p, CASE WHEN p.id IS NULL THEN null ELSE $keptId + '|' + t + '|' + o.id END AS base
    WITH k, o, t, p, base,
      CASE WHEN base IS NOT NULL AND EXISTS { MATCH (k)-[x]->(o) WHERE type(x) = t AND x.id = base + coalesce('|' + p.key, '') } THEN $mergedKey ELSE p.key END AS key
    CREATE (k)-[c:$(t)]->(o) SET c = p, c.mergedFrom = $mergeId, c.key = key, c.id = base + coalesce('|' + key, '')
  }
  CREATE (m)-[q:MERGE_PARKED]->(o) SET q = p, q.parkedType = t
  DELETE r
  RETURN count(*) AS outgoing
}
CALL (m, k) {
  MATCH (m)<-[r]-(o) WHERE type(r) <> 'MERGE_PARKED'
  WITH m, k, r, o, type(r) AS t, properties(r) AS p
  CALL (k, o, t, p) {
    WITH k, o, t, p WHERE o <> k AND NOT (t IN $plain AND EXISTS { MATCH (k)<-[x]-(o) WHERE type(x) = t })
    WITH k, o, t, p, CASE WHEN p.id IS NULL THEN null ELSE o.id + '|' + t + '|' + $keptId END AS base
    WITH k, o, t, p, base,
      CASE WHEN base IS NOT NULL AND EXISTS { MATCH (k)<-[x]-(o) WHERE type(x) = t AND x.id = base + coalesce('|' + p.key, '') } THEN $mergedKey ELSE p.key END AS key
    CREATE (k)<-[c:$(t)]-(o) SET c = p, c.mergedFrom = $mergeId, c.key = key, c.id = base + coalesce('|' + key, '')
  }
  CREATE (m)<-[q:MERGE_PARKED]-(o) SET q = p, q.parkedType = t
  DELETE r
  RETURN count(*) AS incoming
}
RETURN outgoing + incoming AS repointed`,
    params: { mergedId, keptId, mergeId, plain: PLAIN_TYPES, mergedKey: `merged-${mergeId.replace(/^merge:/, '').slice(0, 8)}` },
  };
}

/** Points claims and event compound properties naming the merged id at the kept id; returns what it changed. */
export function repointReferences(mergedId: string, keptId: string): Statement {
  return {
    cypher: `CALL () { MATCH (c:Claim {subject: $mergedId}) SET c.subject = $keptId RETURN collect(c.id) AS claimIds }
CALL () { MATCH (e:Event {compoundId: $mergedId}) SET e.compoundId = $keptId RETURN collect(e.id) AS atEvents }
CALL () { MATCH (e:Event {fromCompoundId: $mergedId}) SET e.fromCompoundId = $keptId RETURN collect(e.id) AS fromEvents }
CALL () { MATCH (e:Event {toCompoundId: $mergedId}) SET e.toCompoundId = $keptId RETURN collect(e.id) AS toEvents }
RETURN claimIds, atEvents, fromEvents, toEvents`,
    params: { mergedId, keptId },
  };
}

/** Sets the kept node's unioned properties, and :Victim when either node was a victim. */
export function updateKeptNode(keptId: string, props: Record<string, unknown>, victim: boolean): Statement {
  return {
    cypher: `MATCH (k:Node {id: $keptId}) SET k += $props
FOREACH (_ IN CASE WHEN $victim THEN [1] ELSE [] END | SET k:Victim)
RETURN k.id AS id`,
    params: { keptId, props, victim },
  };
}

/** Takes the merged node out of the graph's view: its entity labels go, `:Merged` comes; its properties stay. */
export function hideMergedNode(mergedId: string): Statement {
  return {
    cypher: `MATCH (m:Node {id: $mergedId}) REMOVE m:${MERGED_NODE_LABELS.join(':')} SET m:Merged RETURN m.id AS id`,
    params: { mergedId },
  };
}

/**
 * The kept node's properties, the relationship copies a merge made on it, and the claims it recorded about it
 * (src/resolution/mergeClaims.ts), as they are now (see {@link keptStateOf}).
 */
export function findKeptState(keptId: string, mergeId: string): Statement {
  return {
    cypher: `MATCH (k:Node {id: $keptId})
RETURN properties(k) AS props, [(k)-[c]-() WHERE c.mergedFrom = $mergeId | properties(c)] AS copies,
  [(k)<-[:ABOUT]-(claim:Claim) WHERE claim.madeByMerge = $mergeId | properties(claim)] AS claims`,
    params: { keptId, mergeId },
  };
}

/** Writes the claims a merge records about the kept node (src/resolution/mergeClaims.ts), each linked to its sources. */
export function createMergeClaims(claims: MergeClaim[]): Statement {
  return {
    cypher: `UNWIND $claims AS row
MATCH (k:Node {id: row.subject})
CREATE (c:Claim) SET c = row
CREATE (c)-[:ABOUT]->(k)
WITH c, row
CALL (c, row) {
  UNWIND row.sources AS sourceId
  MATCH (s:Source {id: sourceId})
  MERGE (c)-[:SOURCED_BY]->(s)
}
RETURN count(c) AS count`,
    params: { claims },
  };
}

/** Deletes the claims a merge recorded (an unmerge), `ids` from its record, with their links. */
export function deleteMergeClaims(mergeId: string, ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (c:Claim {id: id}) WHERE c.madeByMerge = $mergeId
DETACH DELETE c
RETURN count(*) AS count`,
    params: { mergeId, ids },
  };
}

/** The stored merge record. */
export interface MergeRow {
  id: string;
  keptId: string;
  mergedId: string;
  keptLabels: string[];
  mergedLabels: string[];
  claimIds: string[];
  atEvents: string[];
  fromEvents: string[];
  toEvents: string[];
  repointed: number;
  reason: string;
  at: string;
  keyId: string | null;
  role: string;
  /**
   * A SHA-256 of the kept node's properties and the merge's relationship copies right after the merge (absent from merges
   * made before December 5th, 2026): unmerge compares it with their state then, so a change made by any write path, an
   * import or a seed included, which record no change, is not undone without a word.
   */
  keptState?: string;
  /** The ids of the claims the merge recorded (src/resolution/mergeClaims.ts); absent from merges made before December 5th, 2026. */
  madeClaimIds?: string[];
  active: boolean;
  undoneAt?: string | null;
  undoneBy?: string | null;
}

export function createMergeRecord(row: MergeRow): Statement {
  return {
    cypher: 'CREATE (r:Merge) SET r = $row RETURN r.id AS id',
    params: { row: Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined)) },
  };
}

/**
 * A merge record by id, plus whether a later active merge involves the kept node (to be undone first) and
 * whether the kept node was changed since (an exact unmerge would silently undo that change).
 */
export function findMergeRecord(mergeId: string): Statement {
  return {
    cypher: `MATCH (r:Merge {id: $mergeId})
RETURN r {.*} AS merge,
  EXISTS { MATCH (later:Merge {active: true}) WHERE later.at > r.at AND (later.keptId = r.keptId OR later.mergedId = r.keptId) } AS blocked,
  EXISTS { MATCH (c:Change) WHERE c.at > r.at AND r.keptId IN c.entityIds AND NOT c.operation IN ['MERGE', 'UNMERGE'] } AS editedSince`,
    params: { mergeId },
  };
}

/**
 * Undoes {@link repointRelationships}, {@link updateKeptNode} and {@link hideMergedNode}: deletes the copies on
 * the kept node, re-creates the parked relationships with their type and properties, restores the kept node's
 * properties and labels from the snapshot and the merged node's labels.
 */
export function restoreMergedNodes(row: MergeRow): Statement {
  const mergedLabels = row.mergedLabels.filter((l) => (MERGED_NODE_LABELS as readonly string[]).includes(l));
  return {
    cypher: `MATCH (m:Merged {id: $mergedId}), (k:Node {id: $keptId}), (s:MergeSnapshot {snapshotOf: $mergeId})
CALL (k) { MATCH (k)-[c]-() WHERE c.mergedFrom = $mergeId DELETE c }
CALL (m) {
  MATCH (m)-[q:MERGE_PARKED]->(o)
  CREATE (m)-[r:$(q.parkedType)]->(o) SET r = properties(q) REMOVE r.parkedType
  DELETE q
}
CALL (m) {
  MATCH (m)<-[q:MERGE_PARKED]-(o)
  CREATE (m)<-[r:$(q.parkedType)]-(o) SET r = properties(q) REMOVE r.parkedType
  DELETE q
}
SET k = properties(s)
REMOVE k.snapshotOf
FOREACH (_ IN CASE WHEN 'Victim' IN $keptLabels THEN [] ELSE [1] END | REMOVE k:Victim)
REMOVE m:Merged
SET m:${mergedLabels.join(':')}
DELETE s
RETURN m.id AS id`,
    params: { mergedId: row.mergedId, keptId: row.keptId, mergeId: row.id, keptLabels: row.keptLabels },
  };
}

/** Points claims and event properties back at the merged id, from the lists in the merge record. */
export function restoreReferences(row: MergeRow): Statement {
  return {
    cypher: `CALL () { MATCH (c:Claim) WHERE c.id IN $claimIds SET c.subject = $mergedId }
CALL () { MATCH (e:Event) WHERE e.id IN $atEvents SET e.compoundId = $mergedId }
CALL () { MATCH (e:Event) WHERE e.id IN $fromEvents SET e.fromCompoundId = $mergedId }
CALL () { MATCH (e:Event) WHERE e.id IN $toEvents SET e.toCompoundId = $mergedId }
RETURN 1 AS done`,
    params: { mergedId: row.mergedId, claimIds: row.claimIds, atEvents: row.atEvents, fromEvents: row.fromEvents, toEvents: row.toEvents },
  };
}

/** Marks a merge undone (the record stays, for history). */
export function markMergeUndone(mergeId: string, at: string, by: string | null): Statement {
  return {
    cypher: 'MATCH (r:Merge {id: $mergeId, active: true}) SET r.active = false, r.undoneAt = $at, r.undoneBy = $by RETURN r {.*} AS merge',
    params: { mergeId, at, by },
  };
}

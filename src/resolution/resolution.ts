import { createHash, randomUUID } from 'node:crypto';
import type { Executor, RunStatement } from '../db/executor';
import { canSeeVictimIdentity, type Viewer } from '../auth/viewer';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { toNodeRecord } from '../node/node.normalize';
import type { NodeRecord } from '../node/node.model';
import { createChange } from '../mutation/mutation.queries';
import { canonicalJson, encodeProperties } from '../ops/portableValue';
import { identifyingIdTokens } from './victimIds';
import { nameKeys } from './names';
import { lockedWrite, storedTextNaming, textsNamingVictims } from '../ingest/loadDataset';
import { scorePair, type ScoredEntity } from './scoring';
import { mergeClaims } from './mergeClaims';
import { findClaimsBySubjectIds, type ClaimRow } from '../claim/claim.queries';
import {
  createJudgement,
  createMergeClaims,
  createMergeRecord,
  deleteMergeClaims,
  findCandidatePairs,
  findKeptState,
  findMergeRecord,
  findMergeSubjects,
  hideMergedNode,
  markMergeUndone,
  repointReferences,
  repointRelationships,
  restoreMergedNodes,
  restoreReferences,
  snapshotNode,
  updateKeptNode,
  type JudgementRow,
  type MergeRow,
  type MergeSubjectRow,
  type ResolvableLabel,
  RESOLVABLE_LABELS,
} from './resolution.queries';

/**
 * Entity resolution: candidate duplicates (blocked in Cypher, scored here), judgements, and merge/unmerge.
 * A merge is reversible exactly: the merged node keeps its properties under the label `:Merged`, its
 * relationships are parked on it, and the kept node's former properties are kept in a snapshot node.
 */

/** A scored candidate pair; `a.id < b.id`. */
export interface CandidateRecord {
  a: NodeRecord;
  b: NodeRecord;
  score: number;
  reasons: string[];
}

export type Judgement = 'POSITIVE' | 'NEGATIVE' | 'UNSURE';

/** The merge record as the API returns it. */
export type MergeRecord = MergeRow;

/**
 * The `first` best candidate duplicate pairs of `label`, best first (ties by ids). Victims take part only
 * when the viewer may see victims' identities (investigators, admins): for anyone else they are left out.
 *
 *     await findCandidates(executor, viewer, 'Person', 20);
 */
export async function findCandidates(executor: Executor, viewer: Viewer, label: ResolvableLabel, first: number, minScore = 0.3): Promise<CandidateRecord[]> {
  const rows = await executor.read<{ a: Record<string, unknown>; b: Record<string, unknown>; shared: number }>(
    findCandidatePairs(label, canSeeVictimIdentity(viewer)),
  );
  return rows
    .map((row) => {
      const a = toNodeRecord(row.a);
      const b = toNodeRecord(row.b);
      const { score, reasons } = scorePair(row.a as unknown as ScoredEntity, row.b as unknown as ScoredEntity, row.shared);
      return { a, b, score, reasons };
    })
    .filter((candidate) => candidate.score >= minScore)
    .sort((x, y) => y.score - x.score || x.a.id.localeCompare(y.a.id) || x.b.id.localeCompare(y.b.id))
    .slice(0, first);
}

function pairOf(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

function judgementRow(viewer: Viewer, a: string, b: string, judgement: Judgement, reason: string, mergeId: string | null): JudgementRow {
  const [x, y] = pairOf(a, b);
  return {
    id: `judgement:${randomUUID()}`,
    pair: `${x}|${y}`,
    a: x,
    b: y,
    judgement,
    reason,
    at: new Date().toISOString(),
    keyId: viewer.keyId,
    role: viewer.role,
    mergeId,
  };
}

/** The resolvable label of a merge subject (findMergeSubjects returns only nodes that have one). */
function labelOf(row: MergeSubjectRow): ResolvableLabel | undefined {
  return row.labels.find((l): l is ResolvableLabel => (RESOLVABLE_LABELS as readonly string[]).includes(l));
}

async function loadPair(read: RunStatement, a: string, b: string, names: [string, string]): Promise<[MergeSubjectRow, MergeSubjectRow]> {
  if (a === b) throw new BadUserInputError(`${names[1]}: must differ from ${names[0]}`, names[1]);
  const rows = await read<MergeSubjectRow>(findMergeSubjects([a, b]));
  const left = rows.find((r) => r.id === a);
  const right = rows.find((r) => r.id === b);
  if (!left) throw new NotFoundError(`${names[0]}: no live person, organisation or compound has the id ${a}`);
  if (!right) throw new NotFoundError(`${names[1]}: no live person, organisation or compound has the id ${b}`);
  if (labelOf(left) !== labelOf(right)) throw new BadUserInputError(`${names[1]}: must be of the same type as ${names[0]}`, names[1]);
  return [left, right];
}

/** Records a judgement on a pair (who, when, why). A NEGATIVE one keeps the pair out of the candidates. */
export async function judgePair(executor: Executor, viewer: Viewer, a: string, b: string, judgement: Judgement, reason: string): Promise<JudgementRow> {
  if (!reason.trim()) throw new BadUserInputError('reason: must not be empty', 'reason');
  await loadPair((statement) => executor.read(statement), a, b, ['a', 'b']);
  const row = judgementRow(viewer, a, b, judgement, reason, null);
  await executor.write(createJudgement(row));
  return row;
}

function union(...lists: unknown[]): string[] {
  return [...new Set(lists.flatMap((list) => (Array.isArray(list) ? (list as string[]) : [])))];
}

/**
 * Merges `mergeId`'s entity into `keepId`'s in one transaction: every relationship is re-pointed, claims and
 * event compound references follow, aliases/sources/referents are unioned, the values on which the two differ are
 * recorded as claims citing each record's own sources (src/resolution/mergeClaims.ts), the old id stays resolvable
 * (`node(id: old)` answers the kept entity) and a POSITIVE judgement and a change are recorded.
 */
export async function mergeEntities(executor: Executor, viewer: Viewer, keepId: string, mergeId: string, reason: string): Promise<MergeRecord> {
  if (!reason.trim()) throw new BadUserInputError('reason: must not be empty', 'reason');
  // Both records are read under the write lock (src/ingest/loadDataset.ts, lockedWrite), so no other write changes
  // either between the read and the merge (an edit made then would be lost, and unmerge would not restore it).
  return lockedWrite(executor, async (run) => {
    const [kept, merged] = await loadPair(run, keepId, mergeId, ['keep', 'merge']);
    const id = `merge:${randomUUID()}`;
    const at = new Date().toISOString();
    const k = kept.props;
    const m = merged.props;
    const aliases = union(k.aliases, [m.name], m.aliases).filter((alias) => alias !== k.name);
    const props: Record<string, unknown> = {
      aliases,
      aliasText: aliases.join(' | '),
      nameKeys: nameKeys(String(k.name), aliases),
      sources: union(k.sources, m.sources),
      referents: union(k.referents, m.referents),
      mergedIds: union(k.mergedIds, [merged.id], m.mergedIds),
    };
    // The free-text rule (src/resolution/victimText.ts): a merge that makes a victim of a name, or gives a victim a
    // new alias, must not leave that name in text every role reads. The two records themselves are exempt: the
    // kept one is shown masked, the merged one is hidden, and claims about either follow the kept one.
    // Checked inside the merge's transaction, under the lock every write of text or victims takes (src/ingest/
    // dataset.queries.ts, lockVictimText), so no load can add such text between the check and the merge.
    const victim = kept.labels.includes('Victim') || merged.labels.includes('Victim');
    if (victim) {
      // The kept record becomes (or stays) a victim under its own id, with the merged name among its aliases: that id must
      // be opaque as every victim's is (src/resolution/victimIds.ts). Keeping a named witness's record would show the id
      // `person:tomas-ferrow-vale` for a victim.
      const tokens = identifyingIdTokens(keepId, String(k.name), aliases);
      if (tokens.length > 0) {
        throw new BadUserInputError(
          `keep: the merged record is a victim, and a victim's id must be opaque, but ${keepId} contains part of the name or aliases (${tokens.join(', ')}): keep the victim's record and merge this one into it`,
          'keep',
        );
      }
      // The flag and the roles say the same: a later edit rebuilds the label from the roles (src/ingest/dataset.queries.ts,
      // mergeNodes), and without 'victim' among them it would take the kept record's victim label away, and its masking with it.
      if (kept.labels.includes('Person')) props.roles = union(k.roles, ['victim']);
      const named = await storedTextNaming([{ id: keepId, name: String(k.name), aliases }], [keepId, mergeId], run, [keepId, mergeId]);
      if (named.length > 0) {
        throw new BadUserInputError(`merge: the merged victim's name or an alias is in stored text: ${named.map((entry) => entry.message).join('; ')}`, 'merge');
      }
    }
    await run(snapshotNode(keepId, id));
    const [repointed] = await run<{ repointed: number }>(repointRelationships(mergeId, keepId, id));
    const [refs] = await run<{ claimIds: string[]; atEvents: string[]; fromEvents: string[]; toEvents: string[] }>(repointReferences(mergeId, keepId));
    // The values on which the two records differ, as claims each citing its own record's sources (src/resolution/mergeClaims.ts).
    // Read after the re-pointing, so a value either record's claims already give is not claimed twice.
    const existing = await run<ClaimRow>(findClaimsBySubjectIds([keepId]));
    const label = labelOf(kept);
    if (!label) throw new Error(`merge: ${keepId} has none of the labels ${RESOLVABLE_LABELS.join(', ')}`);
    const claimed = existing.map((row) => ({ property: String(row.claim.property), value: String(row.claim.value) }));
    const claims = mergeClaims(label, { id: keepId, props: k }, { id: mergeId, props: m }, claimed, id, victim);
    // Claims about anyone but a victim are text every role reads: the free-text rule holds for them as for loaded claims
    // (src/ingest/loadDataset.ts). Claims about a victim are shown to investigators alone.
    if (!victim && claims.length > 0) {
      // Paths name the property, never the text: an error must not repeat a victim's name.
      const texts = claims.flatMap((claim) => [
        { path: `the ${claim.property} of ${claim.id.endsWith(':kept') ? keepId : mergeId}`, text: claim.value },
        { path: `the note of the ${claim.property} claim`, text: claim.note },
      ]);
      const named = await textsNamingVictims(texts, run);
      if (named.length > 0) {
        throw new BadUserInputError(
          `merge: ${named.map((entry) => `${entry.path} ${entry.message}`).join('; ')}. The merge would record it in a claim every role reads: change it first`,
          'merge',
        );
      }
    }
    if (claims.length > 0) await run(createMergeClaims(claims));
    await run(updateKeptNode(keepId, props, merged.labels.includes('Victim')));
    await run(hideMergedNode(mergeId));
    const keptState = await keptStateOf(run, keepId, id);
    const record: MergeRow = {
      id,
      keptId: keepId,
      mergedId: mergeId,
      keptLabels: kept.labels,
      mergedLabels: merged.labels,
      claimIds: refs?.claimIds ?? [],
      atEvents: refs?.atEvents ?? [],
      fromEvents: refs?.fromEvents ?? [],
      toEvents: refs?.toEvents ?? [],
      repointed: repointed?.repointed ?? 0,
      reason,
      at,
      keyId: viewer.keyId,
      role: viewer.role,
      keptState,
      madeClaimIds: claims.map((claim) => claim.id),
      active: true,
    };
    await run(createMergeRecord(record));
    await run(createJudgement(judgementRow(viewer, keepId, mergeId, 'POSITIVE', reason, id)));
    await run(
      createChange({
        id: `change:${randomUUID()}`,
        at,
        keyId: viewer.keyId,
        role: viewer.role,
        operation: 'MERGE',
        entityIds: [keepId, mergeId],
        before: JSON.stringify({ kept: k, merged: m }),
        after: JSON.stringify({ mergeId: id, ...props, claims }),
        reason,
      }),
    );
    return record;
  });
}

/**
 * A fingerprint of what an unmerge undoes on the kept node: its properties, the relationship copies the merge made on it
 * and the claims it recorded about it, as a SHA-256 of their canonical JSON (the dump's portable encoding, keys sorted;
 * copies and claims in a sorted order).
 */
async function keptStateOf(run: RunStatement, keptId: string, mergeId: string): Promise<string> {
  const [row] = await run<{ props: Record<string, unknown>; copies: Record<string, unknown>[]; claims: Record<string, unknown>[] }>(findKeptState(keptId, mergeId));
  const canonical = (props: Record<string, unknown>): string => canonicalJson(encodeProperties(props));
  const copies = (row?.copies ?? []).map(canonical).sort();
  const claims = (row?.claims ?? []).map(canonical).sort();
  // The claims count only when the merge recorded some: a merge that recorded none (every merge before December 5th, 2026)
  // keeps the fingerprint it was given.
  const state = claims.length > 0 ? [canonical(row?.props ?? {}), copies, claims] : [canonical(row?.props ?? {}), copies];
  return createHash('sha256').update(JSON.stringify(state)).digest('hex');
}

/**
 * Undoes a merge exactly: the merged node, its labels and relationships, the kept node's properties and
 * labels, claims and event references are as before the merge; the claims the merge recorded are deleted. Merges that kept the same node later must be
 * undone first (CONFLICT). The merge record stays, marked undone.
 */
export async function unmergeEntities(executor: Executor, viewer: Viewer, mergeId: string): Promise<MergeRecord> {
  const at = new Date().toISOString();
  // Checked under the write lock (src/ingest/loadDataset.ts, lockedWrite): no edit of the kept entity can land between
  // the check that it was not changed since the merge and the unmerge that would lose that change.
  return lockedWrite(executor, async (run) => {
    const [found] = await run<{ merge: MergeRow; blocked: boolean; editedSince: boolean }>(findMergeRecord(mergeId));
    if (!found) throw new NotFoundError(`mergeId: no merge has the id ${mergeId}`);
    if (!found.merge.active) throw new ConflictError(`mergeId: ${mergeId} is undone already`);
    if (found.blocked) throw new ConflictError(`mergeId: a later merge involves ${found.merge.keptId}; undo it first`);
    const changedSince = found.editedSince || (found.merge.keptState !== undefined && found.merge.keptState !== (await keptStateOf(run, found.merge.keptId, mergeId)));
    if (changedSince) throw new ConflictError(`mergeId: ${found.merge.keptId} was changed after the merge; an exact unmerge would lose that change`);
    const merge = found.merge;
    await run(deleteMergeClaims(mergeId, merge.madeClaimIds ?? []));
    await run(restoreMergedNodes(merge));
    await run(restoreReferences(merge));
    const [undone] = await run<{ merge: MergeRow }>(markMergeUndone(mergeId, at, viewer.keyId));
    if (!undone) throw new ConflictError(`mergeId: ${mergeId} is undone already`);
    await run(
      createChange({
        id: `change:${randomUUID()}`,
        at,
        keyId: viewer.keyId,
        role: viewer.role,
        operation: 'UNMERGE',
        entityIds: [merge.keptId, merge.mergedId],
        before: JSON.stringify({ mergeId }),
        after: null,
        reason: null,
      }),
    );
    return undone.merge;
  });
}

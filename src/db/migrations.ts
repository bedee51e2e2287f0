import type { Executor } from './executor';
import { RELATION_TYPES } from '../relation/relation.model';
import { textAsRead } from '../resolution/victimText';
import {
  findMigration,
  nodesWithNonAsciiText,
  recordMigration,
  relationshipsWithNonAsciiText,
  setReadText,
  setRelationshipReadText,
  type TextRow,
} from './migrations.queries';

/**
 * Constraints and indexes, all `IF NOT EXISTS`: applying them twice changes nothing.
 * Community Edition supports uniqueness constraints (not node keys or existence constraints).
 */
export const MIGRATIONS: readonly string[] = [
  ...['Node', 'Person', 'Compound', 'Organisation', 'Event', 'Source', 'Claim'].map(
    (label) => `CREATE CONSTRAINT ${label.toLowerCase()}_id IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`,
  ),
  `CREATE FULLTEXT INDEX node_names IF NOT EXISTS FOR (n:Person|Compound|Organisation|Event|Source) ON EACH [n.name, n.aliasText, n.title]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  // The free-text rule (src/resolution/victimText.ts): stored victims by the words of their names, and stored text
  // every role reads by the words it holds, so a load finds a victim its text names, and text that names its victims.
  `CREATE FULLTEXT INDEX victim_names IF NOT EXISTS FOR (n:Victim) ON EACH [n.name, n.aliasText]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  `CREATE FULLTEXT INDEX free_text IF NOT EXISTS FOR (n:Person|Compound|Organisation|Event|Source|Claim) ON EACH [n.title, n.description, n.place, n.notes, n.value, n.note]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  // A person's position (`Broker`, `Driver for …`) is read by every role, unless the person is a victim; since December 5th,
  // 2026 it is held to the rule too, in an index of its own (free_text's fields are fixed once it exists).
  `CREATE FULLTEXT INDEX person_position_text IF NOT EXISTS FOR (n:Person) ON EACH [n.position]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  `CREATE FULLTEXT INDEX relation_free_text IF NOT EXISTS FOR ()-[r:${RELATION_TYPES.join('|')}]-() ON EACH [r.position]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  // The same text as a reader sees it, where Lucene would not (invisible characters, look-alike letters inside words):
  // `readText`, written with the text (src/ingest/loadDataset.ts) and backfilled once for text stored before it.
  `CREATE FULLTEXT INDEX read_text IF NOT EXISTS FOR (n:Person|Compound|Organisation|Event|Source|Claim) ON EACH [n.readText]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  `CREATE FULLTEXT INDEX relation_read_text IF NOT EXISTS FOR ()-[r:${RELATION_TYPES.join('|')}]-() ON EACH [r.readText]
   OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  'CREATE CONSTRAINT migration_id IF NOT EXISTS FOR (m:Migration) REQUIRE m.id IS UNIQUE',
  'CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
  'CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE',
  'CREATE POINT INDEX compound_location IF NOT EXISTS FOR (c:Compound) ON (c.location)',
  'CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)',
  'CREATE INDEX compound_name IF NOT EXISTS FOR (n:Compound) ON (n.name)',
  'CREATE INDEX compound_country IF NOT EXISTS FOR (n:Compound) ON (n.country)',
  'CREATE INDEX compound_status IF NOT EXISTS FOR (n:Compound) ON (n.status)',
  'CREATE INDEX organisation_name IF NOT EXISTS FOR (n:Organisation) ON (n.name)',
  'CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind)',
  'CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.dateStart)',
  'CREATE INDEX event_kind_date IF NOT EXISTS FOR (n:Event) ON (n.kind, n.dateStart)',
  'CREATE INDEX source_published IF NOT EXISTS FOR (n:Source) ON (n.publishedStart)',
  'CREATE INDEX node_dataset IF NOT EXISTS FOR (n:Node) ON (n.dataset)',
  'CREATE INDEX claim_subject IF NOT EXISTS FOR (n:Claim) ON (n.subject)',
  'CREATE CONSTRAINT saved_query_key IF NOT EXISTS FOR (q:SavedQuery) REQUIRE q.key IS UNIQUE',
  'CREATE INDEX saved_query_name IF NOT EXISTS FOR (q:SavedQuery) ON (q.name)',
  'CREATE INDEX saved_query_sha256 IF NOT EXISTS FOR (q:SavedQuery) ON (q.sha256)',
  'CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE',
  'CREATE CONSTRAINT merge_id IF NOT EXISTS FOR (m:Merge) REQUIRE m.id IS UNIQUE',
  'CREATE INDEX merge_merged_id IF NOT EXISTS FOR (m:Merge) ON (m.mergedId)',
  'CREATE INDEX merge_snapshot_of IF NOT EXISTS FOR (s:MergeSnapshot) ON (s.snapshotOf)',
  'CREATE INDEX merged_id IF NOT EXISTS FOR (m:Merged) ON (m.id)',
  'CREATE INDEX judgement_pair IF NOT EXISTS FOR (j:Judgement) ON (j.pair)',
  // The lock every write of text or victims takes (src/ingest/dataset.queries.ts, lockVictimText): unique, so two
  // first loads cannot MERGE two of it.
  'CREATE CONSTRAINT write_lock_id IF NOT EXISTS FOR (l:WriteLock) REQUIRE l.id IS UNIQUE',
];

/** Applies every migration, waits until the indexes are online, then backfills what needs it, once. */
export async function migrate(executor: Executor): Promise<void> {
  for (const statement of MIGRATIONS) {
    await executor.write({ cypher: statement, params: {} });
  }
  await executor.write({ cypher: 'CALL db.awaitIndexes(300)', params: {} });
  await backfillReadText(executor);
}

/** The `(:Migration)` node that records the `readText` backfill as done. */
const READ_TEXT_BACKFILL = 'read-text-2026-12';
/** Records read a page of the backfill. */
const BACKFILL_PAGE = 1000;

/**
 * Gives text stored before `readText` existed (December 2026) its `readText` (src/resolution/victimText.ts
 * `textAsRead`), once per database. Only text with a character outside ASCII can need one (every invisible character
 * and look-alike letter is), so it reads those, a page at a time in id order, and sets what `textAsRead` gives where
 * the text is still the one read (a write in between has set its own). A `(:Migration)` node records that it ran.
 */
async function backfillReadText(executor: Executor): Promise<void> {
  const [done] = await executor.read(findMigration(READ_TEXT_BACKFILL));
  if (done) return;
  const withReadText = (rows: TextRow[]) =>
    rows.flatMap((row) => {
      const readText = textAsRead(row.texts);
      return readText ? [{ ref: row.ref, texts: row.texts, readText }] : [];
    });
  for (const label of ['Node', 'Claim'] as const) {
    let after = '';
    for (;;) {
      const rows = await executor.read<TextRow>(nodesWithNonAsciiText(label, after, BACKFILL_PAGE));
      const updates = withReadText(rows);
      if (updates.length > 0) await executor.write(setReadText(updates));
      if (rows.length < BACKFILL_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  const updates = withReadText(await executor.read<TextRow>(relationshipsWithNonAsciiText()));
  if (updates.length > 0) await executor.write(setRelationshipReadText(updates));
  await executor.write(recordMigration(READ_TEXT_BACKFILL));
}

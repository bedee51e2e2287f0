import type { Executor } from '../db/executor';
import { dateRange } from '../common/partialDate';
import { BadUserInputError } from '../errors';
import { RELATION_TYPES } from '../relation/relation.model';
import { datasetDocument, relationshipId, type DatasetDocument } from './dataset.model';
import {
  findExistingIds,
  findMergedAway,
  findStoredTextsNaming,
  findVictimNames,
  findVictimsByNameWords,
  findVictimsWithUnspacedNames,
  lockVictimText,
  type StoredTextRow,
  type VictimNamesRow,
  linkEvents,
  linkSources,
  mergeClaims,
  mergeNodes,
  mergeRelationships,
  type NodeRow,
} from './dataset.queries';
import type { RunStatement, Statement } from '../db/executor';
import { identifyingIdTokens } from '../resolution/victimIds';
import {
  EVENT_TEXT_FIELDS,
  STORED_TEXT_FIELDS,
  VictimMatcher,
  hasUnspacedScript,
  storedTextQuery,
  textAsRead,
  victimCandidateQueries,
  type VictimNamed,
  type VictimNames,
} from '../resolution/victimText';
import { nameKeys } from '../resolution/names';

/** Counts of what a load wrote (rows MERGEd, whether or not they existed already). */
export interface LoadSummary {
  sources: number;
  persons: number;
  organisations: number;
  compounds: number;
  events: number;
  relationships: number;
  claims: number;
}

/** One validation problem: the path in the document (e.g. `persons[3].birthDate`) and what is wrong. */
export interface DatasetIssue {
  path: string;
  message: string;
}

/** A document that failed validation; `problems` name each bad path, e.g. `persons[3].birthDate: must be a date`. */
export class DatasetValidationError extends BadUserInputError {
  readonly problems: string[];

  constructor(readonly issues: DatasetIssue[]) {
    const problems = issues.map((issue) => `${issue.path}: ${issue.message}`);
    super(`The dataset is invalid: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`);
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`)).join('');
}

/**
 * A document checked on its own, before the database is asked anything ({@link prepareDataset}): what it
 * holds, what is wrong with it by itself, and the ids it references but does not define.
 */
export interface PreparedDataset {
  doc: DatasetDocument;
  /** Problems of the document itself; those of its references follow them in the error. */
  problems: DatasetIssue[];
  /** References to ids the document does not define: each must exist in the database (and be a victim where `victim`). */
  outside: { path: string; id: string; victim?: boolean }[];
}

/**
 * Checks a document without the database: shape, enums, dates, ids defined twice, opaque victim ids, and which
 * ids it references without defining them. Throws {@link DatasetValidationError} when the shape is wrong; the
 * other problems are in `problems`, for {@link checkReferences} to report with those of the references.
 */
export function prepareDataset(input: unknown): PreparedDataset {
  const parsed = datasetDocument.safeParse(input);
  if (!parsed.success) {
    // Every record type is a strict object: a field it does not have is refused by name, not dropped (until December 5th,
    // 2026 `npm run import` and seeding dropped it, and a misspelt `birthdate` was lost without a word).
    throw new DatasetValidationError(
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'is not a field of this record type (seed/FORMAT.md)' }))
          : [{ path: formatPath(issue.path), message: issue.message }],
      ),
    );
  }
  const doc = parsed.data;
  const defined = new Set<string>();
  const problems: DatasetIssue[] = [];
  for (const key of ['sources', 'persons', 'organisations', 'compounds', 'events', 'claims'] as const) {
    doc[key].forEach((item, index) => {
      if (defined.has(item.id)) problems.push({ path: `${key}[${index}].id`, message: `${item.id} is defined twice` });
      defined.add(item.id);
    });
  }
  const victimsDefined = new Set(doc.persons.filter((person) => person.roles.includes('victim')).map((person) => person.id));
  doc.events.forEach((event, index) => {
    event.participants.forEach((p, i) => {
      if (p.role !== 'victim') return;
      // Only a person recorded as a victim takes part as one: masking follows the person's record, so a person shown as a
      // victim participant without it would be shown by name (and a compound or organisation is no victim).
      const path = `events[${index}].participants[${i}].role`;
      if (!p.id.startsWith('person:')) problems.push({ path, message: `victim is a person's role, not ${p.id.slice(0, p.id.indexOf(':'))}'s` });
      else if (defined.has(p.id) && !victimsDefined.has(p.id)) problems.push({ path, message: `${p.id} takes part as a victim but is not recorded as one: add "victim" to their roles` });
    });
  });
  doc.persons.forEach((person, index) => {
    if (!person.roles.includes('victim')) return;
    const tokens = identifyingIdTokens(person.id, person.name, person.aliases);
    if (tokens.length > 0) {
      problems.push({ path: `persons[${index}].id`, message: "a victim's id must be opaque: it contains part of the victim's name or aliases" });
    }
  });
  const relIds = new Set<string>();
  doc.relationships.forEach((rel, index) => {
    const id = relationshipId(rel);
    if (relIds.has(id)) problems.push({ path: `relationships[${index}]`, message: `${id} is defined twice (add a distinct "key")` });
    relIds.add(id);
  });
  return { doc, problems, outside: outsideReferences(doc, defined) };
}

/** The ids `doc` references without defining them (`defined`: the ids it defines), each with where; a person taking part as a victim marked. */
function outsideReferences(doc: DatasetDocument, defined: ReadonlySet<string>): PreparedDataset['outside'] {
  const outside: PreparedDataset['outside'] = [];
  const refer = (path: string, id: string | null | undefined, victim = false): void => {
    if (id && !defined.has(id)) outside.push(victim ? { path, id, victim } : { path, id });
  };
  for (const key of ['persons', 'organisations', 'compounds', 'events', 'relationships', 'claims'] as const) {
    doc[key].forEach((item, index) => item.sources.forEach((id, s) => refer(`${key}[${index}].sources[${s}]`, id)));
  }
  doc.events.forEach((event, index) => {
    refer(`events[${index}].compound`, event.compound);
    refer(`events[${index}].fromCompound`, event.fromCompound);
    refer(`events[${index}].toCompound`, event.toCompound);
    event.participants.forEach((p, i) => refer(`events[${index}].participants[${i}].id`, p.id, p.role === 'victim' && p.id.startsWith('person:')));
  });
  doc.relationships.forEach((rel, index) => {
    refer(`relationships[${index}].from`, rel.from);
    refer(`relationships[${index}].to`, rel.to);
  });
  doc.claims.forEach((claim, index) => refer(`claims[${index}].subject`, claim.subject));
  return outside;
}

/** The ids of every record `doc` defines. */
function definedIds(doc: DatasetDocument): Set<string> {
  const defined = new Set<string>();
  for (const key of ['sources', 'persons', 'organisations', 'compounds', 'events', 'claims'] as const) for (const item of doc[key]) defined.add(item.id);
  return defined;
}

/**
 * What is wrong with the references of a document to ids it does not define: each must exist, not be retired, and a
 * person taking part as a victim must be recorded as one. One read, none when there is nothing to look up.
 */
async function referenceProblems(outside: PreparedDataset['outside'], read: RunStatement, linkedAlready?: ReadonlySet<string>): Promise<DatasetIssue[]> {
  if (outside.length === 0) return [];
  const [row] = await read<{ existing: string[]; retired: string[]; victims: string[]; merged: [string, string][] }>(findExistingIds([...new Set(outside.map((ref) => ref.id))]));
  const existing = new Set(row?.existing ?? []);
  const merged = new Map(row?.merged ?? []);
  // A retired entity stays stored but is gone from every answer: a new link to it would be written and never shown.
  const retired = new Set(row?.retired ?? []);
  const victims = new Set(row?.victims ?? []);
  const problems: DatasetIssue[] = [];
  for (const ref of outside) {
    const keptId = merged.get(ref.id);
    if (keptId) problems.push({ path: ref.path, message: `${ref.id} was merged into ${keptId}: refer to ${keptId}` });
    else if (!existing.has(ref.id)) problems.push({ path: ref.path, message: `${ref.id} does not exist` });
    // A link the record has already stays, its end retired or not: editing an event's title does not need its retired participant gone.
    else if (retired.has(ref.id) && !linkedAlready?.has(ref.id)) problems.push({ path: ref.path, message: `${ref.id} is retired` });
    else if (ref.victim && !victims.has(ref.id)) {
      problems.push({ path: ref.path.replace(/\.id$/, '.role'), message: `${ref.id} takes part as a victim but is not recorded as one: add "victim" to their roles` });
    }
  }
  return problems;
}

/**
 * Reads whether the ids a prepared document references without defining exist (one read, none when it defines
 * all it references) and throws {@link DatasetValidationError} listing every problem of the document.
 */
async function checkReferences(prepared: PreparedDataset, executor: Executor, linkedAlready?: ReadonlySet<string>): Promise<void> {
  const all = [...prepared.problems, ...(await referenceProblems(prepared.outside, executor.read.bind(executor), linkedAlready))];
  if (all.length > 0) throw new DatasetValidationError(all);
}

/**
 * Validates a document: shape, enums, dates, ids, and that every id it references exists in the
 * document or in the database. Throws {@link DatasetValidationError} listing every problem. The victim-name
 * rule is checked by {@link writeDataset}, in the write's transaction under its lock.
 */
export async function validateDataset(input: unknown, executor: Executor, linkedAlready?: ReadonlySet<string>): Promise<DatasetDocument> {
  const prepared = prepareDataset(input);
  await checkReferences(prepared, executor, linkedAlready);
  return prepared.doc;
}

/** One free-text field of a document: where it is, and its text. */
interface DocumentText {
  path: string;
  text: string;
}

/**
 * The document's free text that every role reads (src/resolution/victimText.ts): event titles, descriptions
 * and places, source titles and notes, descriptions of compounds, organisations and persons who are not
 * victims, relationship positions, and the value and note of claims about anything but a victim; and, since
 * December 5th, 2026, the words of source, event and claim ids, source URLs and publishers, organisation addresses,
 * relationship keys and the positions of persons who are not victims.
 */
function documentTexts(doc: DatasetDocument, isVictim: (id: string) => boolean): DocumentText[] {
  const texts: DocumentText[] = [];
  const add = (path: string, text: string | null | undefined): void => {
    if (text) texts.push({ path, text });
  };
  // Ids, keys and addresses every role reads too, as the words they are written in: `event:2024-tomas-ferrow-vale-sold`,
  // `https://news.example/tomas-ferrow-vale-rescued` (checked as written here; the reverse check, a victim recorded after
  // such text, reads the free-text indexes, which hold none of these).
  const words = (text: string | null | undefined): string | undefined => {
    if (!text) return undefined;
    let decoded = text;
    try {
      decoded = decodeURI(text);
    } catch {
      // Not percent-encoded text: read as written.
    }
    // Words with a digit name no one (`2776ac08`, `2024`), and would each be looked up.
    return decoded
      .split(/[^\p{L}\p{N}\p{M}]+/u)
      .filter((word) => word !== '' && !/\p{N}/u.test(word))
      .join(' ');
  };
  const idWords = (id: string): string | undefined => words(id.slice(id.indexOf(':') + 1));
  doc.sources.forEach((source, index) => {
    add(`sources[${index}].id`, idWords(source.id));
    add(`sources[${index}].title`, source.title);
    add(`sources[${index}].notes`, source.notes);
    add(`sources[${index}].url`, words(source.url));
    add(`sources[${index}].publisher`, source.publisher);
  });
  doc.organisations.forEach((organisation, index) => add(`organisations[${index}].address`, organisation.address));
  doc.events.forEach((event, index) => add(`events[${index}].id`, idWords(event.id)));
  doc.claims.forEach((claim, index) => add(`claims[${index}].id`, idWords(claim.id)));
  doc.relationships.forEach((relationship, index) => add(`relationships[${index}].key`, words(relationship.key)));
  doc.persons.forEach((person, index) => {
    if (person.roles.includes('victim')) return;
    add(`persons[${index}].description`, person.description);
    add(`persons[${index}].position`, person.position);
  });
  doc.organisations.forEach((organisation, index) => add(`organisations[${index}].description`, organisation.description));
  doc.compounds.forEach((compound, index) => add(`compounds[${index}].description`, compound.description));
  doc.events.forEach((event, index) => {
    for (const field of EVENT_TEXT_FIELDS) add(`events[${index}].${field}`, event[field]);
  });
  doc.relationships.forEach((relationship, index) => add(`relationships[${index}].position`, relationship.position));
  doc.claims.forEach((claim, index) => {
    if (isVictim(claim.subject)) return;
    add(`claims[${index}].value`, claim.value);
    add(`claims[${index}].note`, claim.note);
  });
  return texts;
}

/**
 * The free-text rule (src/resolution/victimText.ts) over a document, both ways:
 * - its text against every victim, those it defines and those stored (found in `victim_names` by the words
 *   of the text), so no text names any victim;
 * - the names and aliases of the victims it defines against stored text (found in `free_text` and
 *   `relation_free_text`), so a victim recorded now, or given a new name or alias, is not already named in
 *   text every role reads.
 * A record the document defines is judged by the document: a name, role or text changed in the same load
 * counts. At most four reads, each only when the document has something to look up (the fourth, a scan of the
 * victims with names in scripts written without spaces, only for text in such a script).
 */
async function victimNameProblems(doc: DatasetDocument, read: RunStatement): Promise<DatasetIssue[]> {
  const problems: DatasetIssue[] = [];
  const definedPersons = new Set(doc.persons.map((person) => person.id));
  const victimsInDocument = doc.persons.filter((person) => person.roles.includes('victim'));
  const storedSubjects = [...new Set(doc.claims.map((claim) => claim.subject))].filter((id) => !definedPersons.has(id));
  const storedVictimSubjects = new Set(
    storedSubjects.length ? (await read<VictimNamesRow>(findVictimNames(storedSubjects))).map((row) => row.id) : [],
  );
  const victimIds = new Set([...victimsInDocument.map((person) => person.id), ...storedVictimSubjects]);
  const texts = documentTexts(doc, (id) => victimIds.has(id));

  problems.push(...(await textsNamingVictims(texts, read, victimsInDocument, definedPersons)));

  const replaced = [
    ...(['sources', 'persons', 'organisations', 'compounds', 'events', 'claims'] as const).flatMap((key) => doc[key].map((item) => item.id)),
    ...doc.relationships.map(relationshipId),
  ];
  const named = await storedTextNaming(victimsInDocument, replaced, read);
  doc.persons.forEach((person, index) => {
    for (const found of named.filter((entry) => entry.victimId === person.id)) {
      problems.push({ path: `persons[${index}].${found.via}`, message: found.message });
    }
  });
  return problems;
}

/**
 * The free-text rule over `texts`: each text that names a victim, among `victims` and the stored victims the texts'
 * words find in `victim_names` (except those in `redefined`, which the caller judges by `victims`). At most two reads.
 *
 *     await textsNamingVictims([{ path: 'title', text: 'Where is Anong now' }], run) // [{ path: 'title', message: 'names the victim person:…' }]
 */
export async function textsNamingVictims(
  texts: readonly { path: string; text: string }[],
  read: RunStatement,
  victims: readonly VictimNames[] = [],
  redefined: ReadonlySet<string> = new Set(),
): Promise<DatasetIssue[]> {
  const queries = victimCandidateQueries(texts.map((entry) => entry.text));
  const storedVictims = new Map<string, VictimNamesRow>();
  const candidates = [
    ...(queries.length ? await read<VictimNamesRow>(findVictimsByNameWords(queries)) : []),
    ...(texts.some((entry) => hasUnspacedScript(entry.text)) ? await read<VictimNamesRow>(findVictimsWithUnspacedNames()) : []),
  ];
  for (const row of candidates) if (!redefined.has(row.id)) storedVictims.set(row.id, row);
  const matcher = new VictimMatcher([...victims, ...storedVictims.values()]);
  return texts.flatMap(({ path, text }) =>
    matcher.find(text).map(({ victimId }) => ({
      path,
      message: `names the victim ${victimId} (their name or an alias): refer to a victim by id, which journalists see as a pseudonym`,
    })),
  );
}

/** Stored text that names a victim: which victim, by name or alias, and a message naming the record and field. */
export interface StoredTextNaming extends VictimNamed {
  message: string;
}

/**
 * Stored text every role reads that names one of `victims` (src/resolution/victimText.ts), except in the records
 * `except` (those a load replaces, or the two of a merge) and in claims about `exceptSubjects`: one entry per
 * victim, name or alias, record and field. One read, and none when no name has an identifying word.
 */
export async function storedTextNaming(
  victims: readonly VictimNames[],
  except: readonly string[],
  read: RunStatement,
  exceptSubjects: readonly string[] = [],
): Promise<StoredTextNaming[]> {
  const queries = victims.flatMap((victim) =>
    [victim.name, ...(victim.aliases ?? [])].flatMap((name) => {
      const query = storedTextQuery(name);
      return query ? [{ victimId: victim.id, query }] : [];
    }),
  );
  if (queries.length === 0) return [];
  const rows = await read<StoredTextRow>(findStoredTextsNaming(queries, [...except], [...exceptSubjects]));
  const found = new Map<string, StoredTextNaming>();
  for (const victim of victims) {
    const own = new VictimMatcher([victim]);
    for (const row of rows) {
      if (row.victimId !== victim.id) continue;
      for (const [field, text] of Object.entries(row.text)) {
        for (const { via } of own.find(text)) {
          const message = `the stored ${row.kind} ${row.id} holds it in its ${field}, where every role would read it: take it out of the ${row.kind} first`;
          found.set(`${victim.id}|${via}|${message}`, { victimId: victim.id, via, message });
        }
      }
    }
  }
  return [...found.values()];
}

/**
 * A record's properties as stored: {@link compact}, with `readText` (its free text as a reader sees it,
 * src/resolution/victimText.ts `textAsRead`) when that differs from what it says as written.
 */
function storedProps(props: Record<string, unknown>): Record<string, unknown> {
  const stored = compact(props);
  const readText = textAsRead(STORED_TEXT_FIELDS.map((field) => props[field]).map((value) => (typeof value === 'string' ? value : null)));
  if (readText !== undefined) stored.readText = readText;
  return stored;
}

/** Drops null and undefined values: Neo4j stores no nulls, and `SET n = props` must not see them. */
function compact(props: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (value !== null && value !== undefined) kept[key] = value;
  }
  return kept;
}

function dateProps(prefix: string, value: string | null | undefined): Record<string, string> {
  const range = value ? dateRange(value) : undefined;
  return range ? { [`${prefix}Start`]: range.start, [`${prefix}End`]: range.end } : {};
}

/**
 * Validates and writes a whole document in ONE write transaction: all of it lands or none does.
 * Idempotent: loading the same document twice changes nothing.
 *
 *     await loadDataset(JSON.parse(text), executor);
 */
export async function loadDataset(input: unknown, executor: Executor): Promise<LoadSummary> {
  const prepared = prepareDataset(input);
  await checkReferences(prepared, executor);
  const { doc } = prepared;
  // Built before the transaction opens, so it, and the victim-text lock it takes first, are held only while the
  // database works (built inside it, the statements held the lock about 80 ms a batch of 5000 records).
  const writes = datasetWrites(doc);
  await executor.writeTransaction((run) => writeDataset(doc, run, writes));
  return {
    sources: doc.sources.length,
    persons: doc.persons.length,
    organisations: doc.organisations.length,
    compounds: doc.compounds.length,
    events: doc.events.length,
    relationships: doc.relationships.length,
    claims: doc.claims.length,
  };
}

/**
 * Writes a validated document inside a caller's write transaction (`run`), so mutations can add their
 * change record to the same transaction. Entities get `nameKeys` (src/resolution/names.ts) for resolution.
 * `writes` are the document's statements ({@link datasetWrites}), when the caller built them already; `linkedAlready`, the
 * ids an updated record links to now, which may stay linked though retired.
 *
 * First it takes the victim-text lock (`lockVictimText`) and checks the victim-name rule, inside the transaction:
 * a write that another would make break the rule waits for it, then sees what it committed. Throws
 * {@link DatasetValidationError} naming each text (or victim) that breaks the rule; nothing is written then.
 */
export async function writeDataset(doc: DatasetDocument, run: RunStatement, writes?: readonly Statement[], linkedAlready?: ReadonlySet<string>): Promise<void> {
  await run(lockVictimText());
  // The references again, under the lock: they were checked before the transaction, and a merge or a retirement that
  // committed since would leave a link to nothing (MATCH finds no node, and the link is silently not written).
  const problems = [
    ...(await referenceProblems(outsideReferences(doc, definedIds(doc)), run, linkedAlready)),
    ...(await mergedIdProblems(doc, run)),
    ...(await victimNameProblems(doc, run)),
  ];
  if (problems.length > 0) throw new DatasetValidationError(problems);
  for (const statement of writes ?? datasetWrites(doc)) await run(statement);
}

/**
 * Records whose id was merged into another entity (entity resolution). Written, such a record would come back
 * beside the entity that holds its id now, and the merge could no longer be undone; its data belongs to the kept id.
 */
async function mergedIdProblems(doc: DatasetDocument, run: RunStatement): Promise<DatasetIssue[]> {
  const lists = { persons: doc.persons, organisations: doc.organisations, compounds: doc.compounds } as const;
  const ids = Object.values(lists).flatMap((list) => list.map((record) => record.id));
  if (ids.length === 0) return [];
  const merged = new Map((await run<{ id: string; keptId: string }>(findMergedAway(ids))).map((row) => [row.id, row.keptId]));
  if (merged.size === 0) return [];
  return Object.entries(lists).flatMap(([key, list]) =>
    list.flatMap((record, index) => {
      const keptId = merged.get(record.id);
      return keptId ? [{ path: `${key}[${index}].id`, message: `${record.id} was merged into ${keptId}; write to ${keptId}, or undo the merge first` }] : [];
    }),
  );
}

/**
 * A write transaction that first takes the write lock every write of the graph holds until it commits
 * ({@link lockVictimText}), so what `work` reads in it stays as read until it commits: a write that decides from
 * the stored state (is the id free, what does the entity hold now) cannot race another one acting on the same state.
 *
 *     await lockedWrite(executor, async (run) => { const [row] = await run(findX(id)); ...; await run(writeX(row)); });
 */
export function lockedWrite<T>(executor: Executor, work: (run: RunStatement) => Promise<T>): Promise<T> {
  return executor.writeTransaction(async (run) => {
    await run(lockVictimText());
    return work(run);
  });
}

/**
 * The statements that write a validated document, in order: nodes by label, event links, relationships by
 * type, claims, source links. Pure: built outside the transaction, so the database does not wait for them.
 */
export function datasetWrites(doc: DatasetDocument): Statement[] {
  const writes: Statement[] = [];
  const base = { dataset: doc.dataset, synthetic: doc.synthetic };
  const nodeRows = {
    Source: doc.sources.map((s): NodeRow => ({ id: s.id, props: storedProps({ ...s, ...base, ...dateProps('published', s.published), sources: [] }) })),
    Person: doc.persons.map((p): NodeRow => ({
      id: p.id,
      victim: p.roles.includes('victim'),
      props: storedProps({ ...p, ...base, aliasText: p.aliases.join(' | '), nameKeys: nameKeys(p.name, p.aliases) }),
    })),
    Organisation: doc.organisations.map((o): NodeRow => ({ id: o.id, props: storedProps({ ...o, ...base, aliasText: o.aliases.join(' | '), nameKeys: nameKeys(o.name, o.aliases) }) })),
    Compound: doc.compounds.map((c): NodeRow => {
      const { latitude, longitude, ...rest } = c;
      return {
        id: c.id,
        latitude: latitude ?? null,
        longitude: longitude ?? null,
        props: storedProps({ ...rest, ...base, aliasText: c.aliases.join(' | '), nameKeys: nameKeys(c.name, c.aliases) }),
      };
    }),
    Event: doc.events.map((e): NodeRow => {
      const { participants, compound, fromCompound, toCompound, ...rest } = e;
      void participants;
      return {
        id: e.id,
        props: storedProps({
          ...rest,
          ...base,
          ...dateProps('date', e.date),
          compoundId: compound,
          fromCompoundId: fromCompound,
          toCompoundId: toCompound,
        }),
      };
    }),
  };
  const sourced = [...doc.persons, ...doc.organisations, ...doc.compounds, ...doc.events];

  for (const label of ['Source', 'Person', 'Organisation', 'Compound', 'Event'] as const) {
    if (nodeRows[label].length) writes.push(mergeNodes(label, nodeRows[label]));
  }
  if (doc.events.length) {
    writes.push(
      linkEvents(
        doc.events.map((e) => ({
          id: e.id,
          compound: e.compound ?? null,
          fromCompound: e.fromCompound ?? null,
          toCompound: e.toCompound ?? null,
          participants: e.participants.map((p) => ({ ...p, relId: `${e.id}|INVOLVES|${p.id}|${p.role}` })),
          sources: e.sources,
        })),
      ),
    );
  }
  for (const type of RELATION_TYPES) {
    const rows = doc.relationships
      .filter((rel) => rel.type === type)
      .map((rel) => {
        const id = relationshipId(rel);
        return {
          id,
          from: rel.from,
          to: rel.to,
          props: storedProps({
            id,
            start: rel.start,
            end: rel.end,
            startFrom: rel.start ? dateRange(rel.start)?.start : undefined,
            endTo: rel.end ? dateRange(rel.end)?.end : undefined,
            position: rel.position,
            key: rel.key,
            sources: rel.sources,
            ...base,
          }),
        };
      });
    if (rows.length) writes.push(mergeRelationships(type, rows));
  }
  if (doc.claims.length) {
    writes.push(mergeClaims(doc.claims.map((c) => ({ id: c.id, subject: c.subject, props: storedProps({ ...c, ...base }) }))));
  }
  if (sourced.length) writes.push(linkSources('Node', sourced.map((n) => ({ id: n.id, sources: n.sources }))));
  if (doc.claims.length) writes.push(linkSources('Claim', doc.claims.map((c) => ({ id: c.id, sources: c.sources }))));
  return writes;
}

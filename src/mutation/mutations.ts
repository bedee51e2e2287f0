import { randomUUID } from 'node:crypto';
import { isPoint } from 'neo4j-driver';
import type { Executor, Row, RunStatement, Statement } from '../db/executor';
import type { Viewer } from '../auth/viewer';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import {
  claimInput,
  compoundInput,
  eventInput,
  organisationInput,
  personInput,
  relationshipId,
  relationshipInput,
  sourceInput,
  type DatasetDocument,
} from '../ingest/dataset.model';
import { DatasetValidationError, lockedWrite, validateDataset, writeDataset } from '../ingest/loadDataset';
import { RECORD_KEYS, type RecordType } from '../ingest/importRecords';
import {
  createChange,
  findChangeSubject,
  findRelationshipSubject,
  findStoredRecords,
  findTakenIds,
  retireNode,
  retireRelationship,
  type ChangeRow,
  type ChangeSubjectRow,
  type RelationshipSubjectRow,
  type StoredRecordRow,
} from './mutation.queries';

/**
 * The write API behind the GraphQL mutations: create, update and retire entities, events and relationships,
 * and import small batches. Each call validates with the dataset schemas (src/ingest/dataset.model.ts), writes
 * in ONE transaction with the loader's statements, and appends a `(:Change)` record in that same transaction.
 * What a write decides from (is the id free, what the entity holds now, the `before` of its change) is read in
 * that transaction under the write lock ({@link lockedWrite}), so concurrent writes to one entity follow each
 * other instead of overwriting each other.
 */

/** What can be created with {@link createEntity}: the GraphQL enum values. */
export type EntityKind = 'PERSON' | 'ORGANISATION' | 'COMPOUND' | 'EVENT';

const KINDS = {
  PERSON: { key: 'persons', schema: personInput, label: 'Person' },
  ORGANISATION: { key: 'organisations', schema: organisationInput, label: 'Organisation' },
  COMPOUND: { key: 'compounds', schema: compoundInput, label: 'Compound' },
  EVENT: { key: 'events', schema: eventInput, label: 'Event' },
} as const;

const KIND_BY_LABEL: Record<string, EntityKind> = { Person: 'PERSON', Organisation: 'ORGANISATION', Compound: 'COMPOUND', Event: 'EVENT' };

/** A change as the API returns it: before/after parsed back from JSON. */
export interface ChangeRecord {
  id: string;
  at: string;
  keyId: string | null;
  role: string;
  operation: string;
  entityIds: string[];
  before: unknown;
  after: unknown;
  reason: string | null;
}

type Run = <R = Row>(statement: Statement) => Promise<R[]>;

/** JSON text of stored properties; points become {latitude, longitude}. */
function toJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, (_key, v: unknown) => (isPoint(v) ? { latitude: v.y, longitude: v.x } : v));
}

/** Parses a stored change row into a {@link ChangeRecord}. */
export function toChangeRecord(row: Record<string, unknown>): ChangeRecord {
  const parse = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);
  return {
    id: row.id as string,
    at: row.at as string,
    keyId: (row.keyId as string | undefined) ?? null,
    role: row.role as string,
    operation: row.operation as string,
    entityIds: (row.entityIds as string[] | undefined) ?? [],
    before: parse(row.before),
    after: parse(row.after),
    reason: (row.reason as string | undefined) ?? null,
  };
}

function newChange(viewer: Viewer, operation: string, entityIds: string[], before: unknown, after: unknown, reason?: string | null): ChangeRow {
  return {
    id: `change:${randomUUID()}`,
    at: new Date().toISOString(),
    keyId: viewer.keyId,
    role: viewer.role,
    operation,
    entityIds,
    before: toJson(before),
    after: toJson(after),
    reason: reason ?? null,
  };
}

/** Rewrites a dataset path (`persons[0].birthDate`) to the argument's path (`input.birthDate`). */
function argumentPath(path: string, argument: string): string {
  const rest = path.replace(/^\w+\[\d+\]\.?/, '');
  return rest ? `${argument}.${rest}` : argument;
}

/** Validates a one-record document; errors name the field under `argument`, e.g. `input.birthDate`. */
async function validateOne(
  key: 'persons' | 'organisations' | 'compounds' | 'events' | 'relationships',
  value: unknown,
  executor: Executor,
  argument: string,
  base: { dataset: string; synthetic: boolean } = { dataset: 'import', synthetic: false },
  linkedAlready?: ReadonlySet<string>,
): Promise<DatasetDocument> {
  try {
    return await validateDataset({ ...base, [key]: [value] }, executor, linkedAlready);
  } catch (error) {
    throw asArgumentError(error, argument);
  }
}

/**
 * Writes a document in the mutation's transaction. The victim-name rule is checked there, under its lock
 * (src/ingest/loadDataset.ts, writeDataset); its {@link DatasetValidationError} is thrown as `asError` makes it.
 */
async function writeChecked(doc: DatasetDocument, run: RunStatement, asError: (error: unknown) => unknown, linkedAlready?: ReadonlySet<string>): Promise<void> {
  try {
    await writeDataset(doc, run, undefined, linkedAlready);
  } catch (error) {
    throw asError(error);
  }
}

/** {@link writeChecked} for a one-record document: a refusal names the field under `argument`, as validation does. */
function writeOne(doc: DatasetDocument, run: RunStatement, argument: string, linkedAlready?: ReadonlySet<string>): Promise<void> {
  return writeChecked(doc, run, (error) => asArgumentError(error, argument), linkedAlready);
}

/** A {@link DatasetValidationError} of a one-record document as BAD_USER_INPUT naming fields under `argument`; any other error as it is. */
function asArgumentError(error: unknown, argument: string): unknown {
  if (!(error instanceof DatasetValidationError)) return error;
  const problems = error.issues.map((issue) => ({ path: argumentPath(issue.path, argument), message: issue.message }));
  return new BadUserInputError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems[0]?.path ?? argument);
}

function requireObject(value: unknown, argument: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadUserInputError(`${argument}: must be an object`, argument);
  }
  return value as Record<string, unknown>;
}

/** Rejects patch fields the record type does not have, naming the first one. */
function checkPatchKeys(patch: Record<string, unknown>, allowed: readonly string[]): void {
  checkKeys(patch, allowed, 'patch', 'is not a field that can be changed');
}

/**
 * Rejects fields of `value` that are not in `allowed`, naming the first one (`input.birthdate`): validation would
 * otherwise drop them unseen, and with them what the caller meant to write.
 */
function checkKeys(value: Record<string, unknown>, allowed: readonly string[], argument: string, message = 'is not a field of this record type'): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new BadUserInputError(`${argument}.${unknown}: ${message}`, `${argument}.${unknown}`);
}

/** The fields each record type has, for {@link checkKeys}: a relationship record also names its type `relation`. */
const RECORD_FIELDS: Record<RecordType, readonly string[]> = {
  source: ['type', ...Object.keys(sourceInput.shape)],
  person: ['type', ...Object.keys(personInput.shape)],
  organisation: ['type', ...Object.keys(organisationInput.shape)],
  compound: ['type', ...Object.keys(compoundInput.shape)],
  event: ['type', ...Object.keys(eventInput.shape)],
  relationship: ['type', 'relation', ...Object.keys(relationshipInput.shape)],
  claim: ['type', ...Object.keys(claimInput.shape)],
};

async function subjectOf(run: Run, id: string): Promise<ChangeSubjectRow> {
  const [row] = await run<ChangeSubjectRow>(findChangeSubject(id));
  if (!row) throw new NotFoundError(`No entity or event has the id ${id}.`);
  if (row.props.retiredAt) throw new ConflictError(`${id} is retired.`);
  return row;
}

function kindOf(subject: ChangeSubjectRow): EntityKind {
  const label = subject.labels.find((l) => l in KIND_BY_LABEL);
  if (!label) throw new BadUserInputError(`${subject.id} is not an entity or event`, 'id');
  return KIND_BY_LABEL[label] as EntityKind;
}

/** The dataset-format record of a stored node (the inverse of the loader's property mapping). */
function toInputShape(subject: ChangeSubjectRow, kind: EntityKind): Record<string, unknown> {
  const props = subject.props;
  const shapeKeys = Object.keys(KINDS[kind].schema.shape);
  const record: Record<string, unknown> = Object.fromEntries(shapeKeys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
  if (kind === 'COMPOUND' && isPoint(props.location)) {
    record.latitude = props.location.y;
    record.longitude = props.location.x;
  }
  if (kind === 'EVENT') {
    record.compound = props.compoundId;
    record.fromCompound = props.fromCompoundId;
    record.toCompound = props.toCompoundId;
    record.participants = subject.participants;
  }
  return record;
}

/** Reads a node's state inside the transaction, for the change's `after`. */
async function readAfter(run: Run, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await run<ChangeSubjectRow>(findChangeSubject(id));
  return row ? { ...row.props, ...(row.participants.length ? { participants: row.participants } : {}) } : null;
}

/**
 * Creates a person, organisation, compound or event from a dataset-format record (seed/FORMAT.md); at least
 * one existing source is required. CONFLICT when the id is taken.
 *
 *     await createEntity(executor, viewer, 'PERSON', { id: 'person:x', name: 'X', sources: ['source:a'] });
 */
export async function createEntity(executor: Executor, viewer: Viewer, kind: EntityKind, input: unknown): Promise<ChangeRecord> {
  const { key, schema } = KINDS[kind];
  const record = requireObject(input, 'input');
  checkKeys(record, Object.keys(schema.shape), 'input');
  const doc = await validateOne(key, record, executor, 'input');
  const id = (doc[key][0] as { id: string }).id;
  return lockedWrite(executor, async (run) => {
    const [existing] = await run<{ existing: string[] }>(findTakenIds([id]));
    if (existing?.existing.length) throw new ConflictError(`${id} exists already.`);
    await writeOne(doc, run, 'input');
    const change = newChange(viewer, `CREATE_${kind}`, [id], null, await readAfter(run, id));
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/**
 * Changes fields of an entity or event: `patch` holds dataset-format fields (omitted fields keep their
 * values; `null` clears an optional one). The id cannot change. NOT_FOUND / CONFLICT (retired) as usual.
 */
export async function updateEntity(executor: Executor, viewer: Viewer, id: string, patchValue: unknown): Promise<ChangeRecord> {
  const patch = requireObject(patchValue, 'patch');
  return lockedWrite(executor, async (run) => {
    const subject = await subjectOf(run, id);
    const kind = kindOf(subject);
    const { key, schema } = KINDS[kind];
    checkPatchKeys(patch, Object.keys(schema.shape).filter((k) => k !== 'id'));
    const base = { dataset: String(subject.props.dataset ?? 'import'), synthetic: subject.props.synthetic === true };
    // What the record links to now may stay linked though retired since: a retired participant does not block a fixed title.
    const linked = new Set([subject.props.compoundId, subject.props.fromCompoundId, subject.props.toCompoundId, ...subject.participants.map((p) => p.id)].filter((id): id is string => typeof id === 'string'));
    const doc = await validateOne(key, { ...toInputShape(subject, kind), ...patch, id }, executor, 'patch', base, linked);
    // The loader keeps the properties the dataset format does not carry (mergedIds), src/ingest/dataset.queries.ts.
    await writeOne(doc, run, 'patch', linked);
    const change = newChange(viewer, `UPDATE_${kind}`, [id], { ...subject.props, participants: subject.participants }, await readAfter(run, id));
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/**
 * Retires an entity or event: it keeps its data and links but gets `retiredAt`/`retiredBy` and disappears
 * from node(), lists, search and relation lists. CONFLICT when already retired.
 */
export async function retireEntity(executor: Executor, viewer: Viewer, id: string, reason: string | null): Promise<ChangeRecord> {
  const at = new Date().toISOString();
  return lockedWrite(executor, async (run) => {
    const subject = await subjectOf(run, id);
    const kind = kindOf(subject);
    const [row] = await run<{ props: Record<string, unknown> }>(retireNode(id, at, viewer.keyId));
    if (!row) throw new ConflictError(`${id} is retired.`);
    const change = newChange(viewer, `RETIRE_${kind}`, [id], subject.props, row.props, reason);
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/** Splits a relationship id `from|TYPE|to[|key]`. */
function parseRelationshipId(id: string): { from: string; type: string; to: string; key?: string } {
  const [from, type, to, key, ...rest] = id.split('|');
  if (!from || !type || !to || rest.length) throw new BadUserInputError('id: must be a relationship id of the form from|TYPE|to[|key]', 'id');
  return { from, type, to, ...(key ? { key } : {}) };
}

async function relationshipOf(run: Run, id: string): Promise<RelationshipSubjectRow> {
  const parts = parseRelationshipId(id);
  const [row] = await run<RelationshipSubjectRow>(findRelationshipSubject(id, parts.from, parts.to));
  if (!row) throw new NotFoundError(`No relationship has the id ${id}.`);
  if (row.props.retiredAt) throw new ConflictError(`${id} is retired.`);
  return row;
}

/** Creates an entity relationship (dataset format: type, from, to, start, end, position, key, sources). */
export async function createRelationship(executor: Executor, viewer: Viewer, input: unknown): Promise<ChangeRecord> {
  const record = requireObject(input, 'input');
  checkKeys(record, Object.keys(relationshipInput.shape), 'input');
  const doc = await validateOne('relationships', record, executor, 'input');
  const rel = doc.relationships[0];
  if (!rel) throw new BadUserInputError('input: missing', 'input');
  const id = relationshipId(rel);
  return lockedWrite(executor, async (run) => {
    const existing = await run(findRelationshipSubject(id, rel.from, rel.to));
    if (existing.length) throw new ConflictError(`${id} exists already (add a distinct "key").`);
    await writeOne(doc, run, 'input');
    const [after] = await run<RelationshipSubjectRow>(findRelationshipSubject(id, rel.from, rel.to));
    const change = newChange(viewer, 'CREATE_RELATIONSHIP', [id, rel.from, rel.to], null, after?.props);
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/** Changes start, end, position or sources of an entity relationship (its id fields cannot change). */
export async function updateRelationship(executor: Executor, viewer: Viewer, id: string, patchValue: unknown): Promise<ChangeRecord> {
  const patch = requireObject(patchValue, 'patch');
  checkPatchKeys(patch, ['start', 'end', 'position', 'sources']);
  return lockedWrite(executor, async (run) => {
    const subject = await relationshipOf(run, id);
    const props = subject.props;
    const current = { type: subject.type, from: subject.from, to: subject.to, start: props.start, end: props.end, position: props.position, key: props.key, sources: props.sources };
    const base = { dataset: String(props.dataset ?? 'import'), synthetic: props.synthetic === true };
    // Its ends may have been retired since: the relationship stays between them, and can still be corrected.
    const linked = new Set([subject.from, subject.to]);
    const doc = await validateOne('relationships', { ...current, ...patch }, executor, 'patch', base, linked);
    await writeOne(doc, run, 'patch', linked);
    const [after] = await run<RelationshipSubjectRow>(findRelationshipSubject(id, subject.from, subject.to));
    const change = newChange(viewer, 'UPDATE_RELATIONSHIP', [id, subject.from, subject.to], props, after?.props);
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/** Retires an entity relationship: it stays stored with `retiredAt`, but relation lists omit it. */
export async function retireRelationshipById(executor: Executor, viewer: Viewer, id: string, reason: string | null): Promise<ChangeRecord> {
  const at = new Date().toISOString();
  return lockedWrite(executor, async (run) => {
    const subject = await relationshipOf(run, id);
    const [row] = await run<{ props: Record<string, unknown> }>(retireRelationship(id, subject.from, subject.to, at, viewer.keyId));
    if (!row) throw new ConflictError(`${id} is retired.`);
    const change = newChange(viewer, 'RETIRE_RELATIONSHIP', [id, subject.from, subject.to], subject.props, row.props, reason);
    await run(createChange(change));
    return toChangeRecord(change as unknown as Record<string, unknown>);
  });
}

/** The most records one `importRecords` mutation takes; larger files go through `npm run import`. */
export const MAX_IMPORT_RECORDS = 5000;

/** What an import wrote, by record type. */
export interface ImportResult {
  written: Record<RecordType, number>;
  change: ChangeRecord;
}

/**
 * Imports a small batch of records `[{ type: 'person', id, name, ... }, ...]` all-or-nothing, in ONE
 * transaction with its change record. `source` is added as the citation of records that cite none.
 * Errors name the record and field: `records[3].birthDate: must be a date ...`.
 */
export async function importRecordBatch(executor: Executor, viewer: Viewer, records: unknown, source: string | null): Promise<ImportResult> {
  if (!Array.isArray(records) || records.length === 0) throw new BadUserInputError('records: must be a list of at least one record', 'records');
  if (records.length > MAX_IMPORT_RECORDS) {
    throw new BadUserInputError(`records: at most ${MAX_IMPORT_RECORDS} records per mutation; use npm run import for more`, 'records');
  }
  const document: Record<string, unknown[]> = {};
  const positions = new Map<string, number>();
  const written = { source: 0, person: 0, organisation: 0, compound: 0, event: 0, relationship: 0, claim: 0 };
  records.forEach((value: unknown, index) => {
    const record = requireObject(value, `records[${index}]`);
    const { type, ...fields } = record;
    if (typeof type !== 'string' || !(type in RECORD_KEYS)) {
      throw new BadUserInputError(`records[${index}].type: must be one of ${Object.keys(RECORD_KEYS).join(', ')}`, `records[${index}].type`);
    }
    const key = RECORD_KEYS[type as RecordType];
    checkKeys(record, RECORD_FIELDS[type as RecordType], `records[${index}]`);
    if (source && type !== 'source' && fields.sources === undefined) fields.sources = [source];
    // Record files name a relationship's type `relation`, since `type` is the record type (seed/FORMAT.md).
    if (type === 'relationship' && 'relation' in fields) {
      fields.type = fields.relation;
      delete fields.relation;
    }
    const list = (document[key] ??= []);
    positions.set(`${key}[${list.length}]`, index);
    list.push(fields);
    written[type as RecordType] += 1;
  });
  // Problems are named by the record they are in (`records[3].description`), validation's and the victim-name rule's.
  const asRecordsError = (error: unknown): unknown => {
    if (!(error instanceof DatasetValidationError)) return error;
    const problems = error.issues.map((issue) => {
      const match = /^(\w+\[\d+\])\.?(.*)$/.exec(issue.path);
      const index = match ? positions.get(match[1] as string) : undefined;
      const path = index === undefined ? `records.${issue.path}` : `records[${index}]${match?.[2] ? `.${match[2]}` : ''}`;
      return `${path}: ${issue.message}`;
    });
    return new BadUserInputError(`Nothing was imported: ${problems.slice(0, 20).join('; ')}`, problems[0]?.split(':')[0] ?? 'records');
  };
  let doc: DatasetDocument;
  try {
    doc = await validateDataset({ dataset: 'import', synthetic: false, ...document }, executor);
  } catch (error) {
    throw asRecordsError(error);
  }
  const ids = [doc.sources, doc.persons, doc.organisations, doc.compounds, doc.events, doc.claims].flatMap((list) => list.map((r) => r.id));
  const relationships = doc.relationships.map((rel) => ({ id: relationshipId(rel), from: rel.from, to: rel.to }));
  const change = await lockedWrite(executor, async (run) => {
    // Records already stored are written over: their stored state is the change's `before`, so none of it is lost.
    const stored = await run<StoredRecordRow>(findStoredRecords(ids, relationships));
    const before = stored.length === 0 ? null : Object.fromEntries(stored.map((row) => [row.id, row.participants.length ? { ...row.props, participants: row.participants } : row.props]));
    await writeChecked(doc, run, asRecordsError);
    const made = newChange(viewer, 'IMPORT', [...ids, ...relationships.map((rel) => rel.id)], before, { written });
    await run(createChange(made));
    return made;
  });
  return { written, change: toChangeRecord(change as unknown as Record<string, unknown>) };
}

import type { GraphQLSchema } from 'graphql';
import type { Executor } from '../db/executor';
import { canSeeVictimIdentity, hasRole, PUBLIC_VIEWER, type Viewer } from '../auth/viewer';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { SaveQueryInput } from '../generated/graphql';
import { builtinQueries, builtinQueryVersions, findBuiltinQuery } from './builtinQueries';
import { describeParameters, documentHash, parseSavedDocument } from './savedDocument';
import type { DocumentLimits } from '../security/armor';
import { lockedWrite, textsNamingVictims } from '../ingest/loadDataset';
import { SAVED_QUERY_NAME, type SavedQueryParameterRecord, type SavedQueryRecord } from './savedQuery.model';
import {
  createSavedQueryVersion,
  findSavedQueryHead,
  findSavedQueriesByHash,
  findSavedQueryVersion,
  listLatestSavedQueries,
  retireSavedQueryVersions,
  type SavedQueryHeadRow,
  type StoredSavedQueryRow,
} from './savedQuery.queries';

/** A stored row as a record; `parameters` is parsed from its JSON text. */
function toRecord({ query }: StoredSavedQueryRow): SavedQueryRecord {
  return {
    name: query.name,
    title: query.title,
    description: query.description ?? '',
    version: Number(query.version),
    builtIn: false,
    document: query.document,
    sha256: query.sha256,
    parameters: JSON.parse(query.parameters) as SavedQueryParameterRecord[],
    owner: query.owner,
    createdAt: query.createdAt,
    retiredAt: query.retiredAt,
  };
}

/** The registry: built-in queries, then the latest version of each user query not retired, by name. */
export async function listSavedQueries(executor: Executor): Promise<SavedQueryRecord[]> {
  const stored = await executor.read<StoredSavedQueryRow>(listLatestSavedQueries());
  return [...builtinQueries(), ...stored.map(toRecord)];
}

/**
 * A saved query by name: its latest version, or `version`. The latest version of a retired query is not
 * found (it is no longer offered), but every version stays reachable by its number. Null when absent.
 */
export async function findSavedQuery(executor: Executor, name: string, version: number | null): Promise<SavedQueryRecord | null> {
  if (version !== null && (!Number.isInteger(version) || version < 1)) throw new BadUserInputError('Argument "version" must be a positive integer.', 'version');
  if (builtinQueries().some((query) => query.name === name)) return findBuiltinQuery(name, version) ?? null;
  if (!SAVED_QUERY_NAME.test(name)) return null;
  const [row] = await executor.read<StoredSavedQueryRow>(findSavedQueryVersion(name, version));
  if (!row) return null;
  const record = toRecord(row);
  return version === null && record.retiredAt ? null : record;
}

/**
 * {@link findSavedQuery} as `viewer` may see it: a version withheld from them ({@link withoutVictimText}) is absent, on
 * every path that finds a query by name (`savedQuery`, `runSavedQuery`, `/saved/NAME`, `npm run query`).
 */
export async function findVisibleSavedQuery(executor: Executor, viewer: Viewer, name: string, version: number | null): Promise<SavedQueryRecord | null> {
  const found = await findSavedQuery(executor, name, version);
  return found ? ((await withoutVictimText([found], viewer, executor))[0] ?? null) : null;
}

/** Like {@link findVisibleSavedQuery}, but NOT_FOUND when there is none, as for a name never saved. */
export async function requireSavedQuery(executor: Executor, viewer: Viewer, name: string, version: number | null): Promise<SavedQueryRecord> {
  const found = await findVisibleSavedQuery(executor, viewer, name, version);
  if (!found) throw new NotFoundError(`No saved query "${name}"${version === null ? '' : ` version ${version}`}.`);
  return found;
}

/**
 * The document of a saved query (any version, built-in or stored) whose SHA-256 is `sha256`, if any. A stored version
 * withheld from journalists and the public ({@link withoutVictimText}) does not count: the lookup does not know who asks
 * (Apollo's persisted-query cache, the persisted-only check), and a document sent in full is run as any other.
 */
export async function findSavedDocumentByHash(executor: Executor, sha256: string): Promise<string | null> {
  const builtin = builtinQueries().find((query) => query.sha256 === sha256) ?? builtinQueryVersions().find((query) => query.sha256 === sha256);
  if (builtin) return builtin.document;
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const versions = (await executor.read<StoredSavedQueryRow>(findSavedQueriesByHash(sha256))).map(toRecord);
  if (versions.length === 0) return null;
  // Found when some version with this document is one the least of callers may see.
  const [shown] = await withoutVictimText(versions, PUBLIC_VIEWER, executor);
  return shown?.document ?? null;
}

/**
 * Text as the victim-name rule reads it, for names written as identifiers: `tomas_ferrow_vale` and `tomasFerrowVale` (a
 * query's name, a field alias) are one word to the full-text index and to a reader three, so `_` and a lower-case letter
 * followed by a capital are read as a space between words.
 */
function asWords(text: string): string {
  return text.replace(/_+/g, ' ').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
}

/**
 * Saves a new query, or a new version of one the viewer owns (admins may version anyone's). Investigators
 * and admins only. The document must be one valid `query` operation, within `limits` (the server's operation
 * limits); its variables are the parameters.
 * Versions are immutable: each save creates the next version number.
 */
export async function saveQuery(
  executor: Executor,
  schema: GraphQLSchema,
  viewer: Viewer,
  input: SaveQueryInput,
  limits: DocumentLimits,
): Promise<SavedQueryRecord> {
  if (!hasRole(viewer, 'investigator')) throw new ForbiddenError('Only investigators and admins may save queries.');
  if (!SAVED_QUERY_NAME.test(input.name)) {
    throw new BadUserInputError('Argument "name" must start with a letter and hold only letters, digits, "-" and "_" (at most 64).', 'name');
  }
  if (findBuiltinQuery(input.name)) throw new ConflictError(`"${input.name}" is a built-in query; choose another name.`);
  if (!input.title.trim()) throw new BadUserInputError('Argument "title" must not be empty.', 'title');
  const parsed = parseSavedDocument(schema, input.document, limits);
  const variables = new Set((parsed.operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  const descriptions = new Map<string, string>();
  for (const parameter of input.parameters ?? []) {
    if (!variables.has(parameter.name)) throw new BadUserInputError(`Parameter "${parameter.name}" is not a variable of the document.`, 'parameters');
    if (parameter.description) descriptions.set(parameter.name, parameter.description);
  }
  const parameters = describeParameters(parsed.operation, descriptions);
  // Every role reads saved queries: their text may not name a victim, as no text every role reads may (the free-text
  // rule, src/resolution/victimText.ts). Checked under the write lock, like every write of text.
  const texts = savedQueryTexts({ ...input, parameters: input.parameters ?? [] });
  return lockedWrite(executor, async (run) => {
    const [named] = await textsNamingVictims(texts, run);
    if (named) throw new BadUserInputError(`Argument "${named.path}" ${named.message}.`, named.path);
    const [head] = await run<SavedQueryHeadRow>(findSavedQueryHead(input.name));
    const latest = head?.latest ?? null;
    if (latest !== null && head?.owner !== viewer.keyId && viewer.role !== 'admin') {
      throw new ForbiddenError(`The saved query "${input.name}" belongs to someone else; save yours under another name.`);
    }
    const [row] = await run<StoredSavedQueryRow>(
      createSavedQueryVersion({
        name: input.name,
        version: (latest ?? 0) + 1,
        title: input.title.trim(),
        description: input.description?.trim() || null,
        document: input.document,
        sha256: documentHash(input.document),
        parameters: JSON.stringify(parameters),
        owner: latest === null ? viewer.keyId : (head?.owner ?? viewer.keyId),
        createdAt: new Date().toISOString(),
      }),
    );
    return toRecord(row!);
  });
}

/**
 * The text of a saved query every role reads, by field: name, title, description, document and parameter descriptions;
 * the name and the document as words ({@link asWords}: their identifiers, and a field alias is a column of every answer).
 */
function savedQueryTexts(query: {
  name: string;
  title: string;
  description?: string | null;
  document: string;
  parameters: readonly { description?: string | null }[];
}): { path: string; text: string }[] {
  return [
    { path: 'name', text: asWords(query.name.replace(/-+/g, ' ')) },
    { path: 'title', text: query.title },
    { path: 'description', text: query.description ?? '' },
    { path: 'document', text: asWords(query.document) },
    ...query.parameters.map((parameter, index) => ({ path: `parameters[${index}].description`, text: parameter.description ?? '' })),
  ].filter((entry) => entry.text.trim() !== '');
}

/**
 * `queries` less the stored ones whose text names a victim, for a viewer who may not see victims' identities.
 * `saveQuery` refuses such text, but a person named in a query saved earlier may be recorded as a victim later (saved
 * queries are in no free-text index, so that write cannot see them, and a version cannot be changed). Such a version is
 * then withheld from journalists and the public, as if it had never been saved: `savedQueries` leaves it out, `savedQuery`
 * answers null, and `runSavedQuery`, `/saved/NAME` and `npm run query` answer NOT_FOUND (until December 5th, 2026 it still
 * ran, and the columns of its answer, its field aliases, could name the victim); by its hash it is not found
 * ({@link findSavedDocumentByHash}). Built-in queries ship with the server and are not checked. One read, and none for
 * investigators or without stored queries.
 */
export async function withoutVictimText(queries: SavedQueryRecord[], viewer: Viewer, executor: Executor): Promise<SavedQueryRecord[]> {
  if (canSeeVictimIdentity(viewer)) return queries;
  const stored = queries.filter((query) => !query.builtIn);
  if (stored.length === 0) return queries;
  const texts = stored.flatMap((query, index) => savedQueryTexts(query).map(({ text }) => ({ path: String(index), text })));
  const naming = new Set((await textsNamingVictims(texts, executor.read.bind(executor))).map((problem) => stored[Number(problem.path)]));
  return queries.filter((query) => !naming.has(query));
}

/** Retires every version of a query the viewer owns (admins: any). Built-in queries cannot be retired. */
export async function retireSavedQuery(executor: Executor, viewer: Viewer, name: string): Promise<SavedQueryRecord> {
  if (!hasRole(viewer, 'investigator')) throw new ForbiddenError('Only investigators and admins may retire saved queries.');
  if (findBuiltinQuery(name)) throw new ConflictError(`"${name}" is a built-in query and cannot be retired.`);
  const [head] = await executor.read<SavedQueryHeadRow>(findSavedQueryHead(name));
  if (!head || head.latest === null) throw new NotFoundError(`No saved query "${name}".`);
  if (head.owner !== viewer.keyId && viewer.role !== 'admin') throw new ForbiddenError(`The saved query "${name}" belongs to someone else.`);
  const [row] = await executor.write<StoredSavedQueryRow>(retireSavedQueryVersions(name, new Date().toISOString()));
  return toRecord(row!);
}

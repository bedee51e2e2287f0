import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type GraphQLSchema } from 'graphql';
import { checkSavedDocument, describeParameters, documentHash } from './savedDocument';
import { PROJECT_ROOT } from '../projectRoot';
import type { SavedQueryRecord } from './savedQuery.model';

/** Where the built-in queries live: one `NAME.graphql` per query. */
export const BUILTIN_DIR = path.join(PROJECT_ROOT, 'src', 'saved', 'builtin');

/** A built-in query plus the example parameters its header gives (for the README and the tests). */
export interface BuiltinQuery extends SavedQueryRecord {
  /** Example query string, e.g. `country=kh`; empty when the query takes no parameters. */
  example: string;
}

/** Raised at start-up (and by the tests) when a built-in query is malformed or invalid against the schema. */
export class BuiltinQueryError extends Error {
  override name = 'BuiltinQueryError';
}

/**
 * Splits a built-in file into its header (leading `# key: value` lines) and its document.
 * Keys: title, description (may repeat: lines are joined), version, param NAME, example.
 */
function readHeader(text: string): { header: Map<string, string>; params: Map<string, string>; document: string } {
  const lines = text.split(/\r?\n/);
  const header = new Map<string, string>();
  const params = new Map<string, string>();
  let index = 0;
  for (; index < lines.length && lines[index]!.startsWith('#'); index += 1) {
    const match = /^#\s*([a-z]+)(?:\s+([A-Za-z_][A-Za-z0-9_]*))?:\s?(.*)$/.exec(lines[index]!);
    if (!match) continue;
    const [, key, param, value] = match as unknown as [string, string, string | undefined, string];
    if (key === 'param' && param) params.set(param, value.trim());
    else header.set(key, [header.get(key), value.trim()].filter(Boolean).join(' '));
  }
  return { header, params, document: `${lines.slice(index).join('\n').trim()}\n` };
}

/** Earlier versions of built-in queries, one `NAME.vN.graphql` each: a version someone cited keeps running as it was. */
export const BUILTIN_VERSIONS_DIR = path.join(BUILTIN_DIR, 'versions');

/** A built-in query (or an earlier version of one) from its file's text. */
function readBuiltin(name: string, text: string): BuiltinQuery {
  const { header, params, document } = readHeader(text);
  const version = Number(header.get('version') ?? '1');
  return {
    name,
    title: header.get('title') ?? name,
    description: header.get('description') ?? '',
    version: Number.isInteger(version) && version > 0 ? version : 1,
    builtIn: true,
    document,
    sha256: documentHash(document),
    parameters: describeFromText(document, params),
    owner: null,
    createdAt: null,
    retiredAt: null,
    example: header.get('example') ?? '',
  };
}

let cache: BuiltinQuery[] | undefined;
let versionsCache: BuiltinVersionFile[] | undefined;

/** Every built-in query, by name, read once per process from {@link BUILTIN_DIR}. Not yet checked against a schema. */
export function builtinQueries(): readonly BuiltinQuery[] {
  cache ??= fs
    .readdirSync(BUILTIN_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readBuiltin(file.replace(/\.graphql$/, ''), fs.readFileSync(path.join(BUILTIN_DIR, file), 'utf8')));
  return cache;
}

/** A file of {@link BUILTIN_VERSIONS_DIR}: the query it holds, and the version its name gives (NaN if none). */
export interface BuiltinVersionFile {
  query: BuiltinQuery;
  file: string;
  fileVersion: number;
}

/** The files of {@link BUILTIN_VERSIONS_DIR}, read once per process. */
function builtinVersionFiles(): BuiltinVersionFile[] {
  versionsCache ??= (fs.existsSync(BUILTIN_VERSIONS_DIR) ? fs.readdirSync(BUILTIN_VERSIONS_DIR) : [])
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const match = /^(.+)\.v([1-9][0-9]*)\.graphql$/.exec(file);
      const query = readBuiltin(match?.[1] ?? file, fs.readFileSync(path.join(BUILTIN_VERSIONS_DIR, file), 'utf8'));
      return { query, file, fileVersion: match ? Number(match[2]) : Number.NaN };
    });
  return versionsCache;
}

/**
 * What is wrong with files of earlier versions: named `NAME.vN.graphql` for a built-in NAME, with the same N in their
 * `# version:` header, and N before the current version.
 */
export function versionFileProblems(files: readonly BuiltinVersionFile[], current: readonly BuiltinQuery[]): string[] {
  return files.flatMap(({ query, file, fileVersion }) => {
    const now = current.find((q) => q.name === query.name);
    if (Number.isNaN(fileVersion)) return [`versions/${file}: the file name must be NAME.vN.graphql`];
    if (!now) return [`versions/${file}: no built-in query ${query.name}`];
    if (query.version !== fileVersion) return [`versions/${file}: its "# version:" is ${query.version}, its file name says ${fileVersion}`];
    if (query.version >= now.version) return [`versions/${file}: version ${query.version} is not before the current version ${now.version}`];
    return [];
  });
}

/** The earlier versions of the built-in queries (not the current ones), by name and version. */
export function builtinQueryVersions(): readonly BuiltinQuery[] {
  return builtinVersionFiles().map(({ query }) => query);
}

/** Parameters straight from the document text (variables are syntax: no schema needed). */
function describeFromText(document: string, descriptions: Map<string, string>) {
  const operation = parse(document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation && operation.kind === Kind.OPERATION_DEFINITION ? describeParameters(operation, descriptions) : [];
}

/** The built-in query called `name`, if any: its current version, or `version` (an earlier one, or the current one). */
export function findBuiltinQuery(name: string, version: number | null = null): BuiltinQuery | undefined {
  const current = builtinQueries().find((query) => query.name === name);
  if (!current || version === null || version === current.version) return current;
  return builtinQueryVersions().find((query) => query.name === name && query.version === version);
}

/**
 * Checks every built-in query, and every earlier version kept of one, against `schema`: one query operation named like
 * its file, valid, with a title, a description and a description for each parameter; an earlier version must be
 * numbered (in its header and its file name alike) before the current one. Throws a {@link BuiltinQueryError}
 * listing every problem; the server calls this at start-up so a broken query never ships.
 */
export function validateBuiltinQueries(schema: GraphQLSchema): void {
  const problems: string[] = [];
  problems.push(...versionFileProblems(builtinVersionFiles(), builtinQueries()));
  const current = new Set(builtinQueries());
  for (const query of [...builtinQueries(), ...builtinQueryVersions()]) {
    const label = current.has(query) ? query.name : `${query.name} v${query.version}`;
    const { parsed, problems: found } = checkSavedDocument(schema, query.document);
    problems.push(...found.map((problem) => `${label}: ${problem}`));
    if (parsed && parsed.operation.name?.value !== query.name) problems.push(`${label}: the operation must be named ${query.name}`);
    if (!query.title || query.title === query.name) problems.push(`${label}: missing "# title:"`);
    if (!query.description) problems.push(`${label}: missing "# description:"`);
    for (const parameter of query.parameters) {
      if (!parameter.description) problems.push(`${label}: parameter ${parameter.name} has no "# param ${parameter.name}:" line`);
    }
  }
  if (problems.length) throw new BuiltinQueryError(`Invalid built-in saved queries:\n${problems.join('\n')}`);
}

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

let cache: BuiltinQuery[] | undefined;

/** Every built-in query, by name, read once per process from {@link BUILTIN_DIR}. Not yet checked against a schema. */
export function builtinQueries(): readonly BuiltinQuery[] {
  cache ??= fs
    .readdirSync(BUILTIN_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.graphql$/, '');
      const { header, params, document } = readHeader(fs.readFileSync(path.join(BUILTIN_DIR, file), 'utf8'));
      const version = Number(header.get('version') ?? '1');
      return {
        name,
        title: header.get('title') ?? name,
        description: header.get('description') ?? '',
        version: Number.isInteger(version) && version > 0 ? version : 1,
        builtIn: true,
        document,
        sha256: documentHash(document),
        parameters: [],
        owner: null,
        createdAt: null,
        retiredAt: null,
        example: header.get('example') ?? '',
        paramDescriptions: params,
      };
    })
    .map(({ paramDescriptions, ...query }) => ({ ...query, parameters: describeFromText(query.document, paramDescriptions) }));
  return cache;
}

/** Parameters straight from the document text (variables are syntax: no schema needed). */
function describeFromText(document: string, descriptions: Map<string, string>) {
  const operation = parse(document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation && operation.kind === Kind.OPERATION_DEFINITION ? describeParameters(operation, descriptions) : [];
}

/** The built-in query called `name`, if any. */
export function findBuiltinQuery(name: string): BuiltinQuery | undefined {
  return builtinQueries().find((query) => query.name === name);
}

/**
 * Checks every built-in query against `schema`: one query operation named like its file, valid,
 * with a title, a description and a description for each parameter. Throws a {@link BuiltinQueryError}
 * listing every problem; the server calls this at start-up so a broken query never ships.
 */
export function validateBuiltinQueries(schema: GraphQLSchema): void {
  const problems: string[] = [];
  for (const query of builtinQueries()) {
    const { parsed, problems: found } = checkSavedDocument(schema, query.document);
    problems.push(...found.map((problem) => `${query.name}: ${problem}`));
    if (parsed && parsed.operation.name?.value !== query.name) problems.push(`${query.name}: the operation must be named ${query.name}`);
    if (!query.title || query.title === query.name) problems.push(`${query.name}: missing "# title:"`);
    if (!query.description) problems.push(`${query.name}: missing "# description:"`);
    for (const parameter of query.parameters) {
      if (!parameter.description) problems.push(`${query.name}: parameter ${parameter.name} has no "# param ${parameter.name}:" line`);
    }
  }
  if (problems.length) throw new BuiltinQueryError(`Invalid built-in saved queries:\n${problems.join('\n')}`);
}

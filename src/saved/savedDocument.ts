import { createHash } from 'node:crypto';
import {
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { BadUserInputError } from '../errors';
import type { DocumentLimits } from '../security/armor';
import { REGISTRY_FIELDS, type SavedQueryParameterRecord } from './savedQuery.model';

/** SHA-256 hex of a document's text: the id Apollo's persisted-query extension uses. */
export function documentHash(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

/** A parsed saved document with its single query operation. */
export interface ParsedSavedDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
}

/**
 * Parses and checks a saved query's document: exactly one `query` operation, valid against `schema`,
 * within `limits` when given (depth, cost, aliases, directives, tokens: src/security/armor.ts), not
 * selecting the saved-query registry itself. Returns problems as values (an empty list when fine).
 */
export function checkSavedDocument(schema: GraphQLSchema, text: string, limits?: DocumentLimits): { parsed?: ParsedSavedDocument; problems: string[] } {
  let document: DocumentNode;
  try {
    document = parse(text, limits ? { maxTokens: limits.maxTokens } : undefined);
  } catch (error) {
    return { problems: [`does not parse: ${(error as Error).message}`] };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return { problems: [`must contain exactly one operation (found ${operations.length})`] };
  const operation = operations[0]!;
  if (operation.operation !== 'query') return { problems: [`must be a query, not a ${operation.operation}`] };
  const problems = validate(schema, document, limits?.validationRules).map((error) => error.message);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const forbidden = rootFieldNames(operation.selectionSet, fragments).filter((name) => (REGISTRY_FIELDS as readonly string[]).includes(name));
  if (forbidden.length) problems.push(`may not select ${forbidden.join(', ')}`);
  return problems.length ? { problems } : { parsed: { document, operation, fragments }, problems };
}

/** Like {@link checkSavedDocument}, but throws BAD_USER_INPUT naming the `document` argument. */
export function parseSavedDocument(schema: GraphQLSchema, text: string, limits?: DocumentLimits): ParsedSavedDocument {
  const { parsed, problems } = checkSavedDocument(schema, text, limits);
  if (!parsed) throw new BadUserInputError(`The saved query's document ${problems.join('; ')}`, 'document');
  return parsed;
}

/** The field names selected at the root of an operation, through fragments. */
export function rootFieldNames(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  const visit = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(selectionSet, new Set());
  return names;
}

/** The parameters of an operation, from its variable definitions, with descriptions by variable name. */
export function describeParameters(operation: OperationDefinitionNode, descriptions: ReadonlyMap<string, string>): SavedQueryParameterRecord[] {
  return (operation.variableDefinitions ?? []).map((definition) => ({
    name: definition.variable.name.value,
    type: print(definition.type),
    default: definition.defaultValue ? print(definition.defaultValue) : null,
    description: descriptions.get(definition.variable.name.value) ?? null,
    required: definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue,
  }));
}

import { BadUserInputError } from '../errors';

/** The node labels that carry a global id, and the id prefix of each. */
export const ID_PREFIXES = {
  person: 'Person',
  compound: 'Compound',
  organisation: 'Organisation',
  event: 'Event',
  source: 'Source',
} as const;

export type IdPrefix = keyof typeof ID_PREFIXES;
export type NodeLabel = (typeof ID_PREFIXES)[IdPrefix];

const GLOBAL_ID = /^(person|compound|organisation|event|source):([a-z0-9][a-z0-9._-]{0,119})$/;

/** True when `id` has the form `TYPE:slug`. */
export function isGlobalId(id: string): boolean {
  return GLOBAL_ID.test(id);
}

/**
 * Parses a global id, or throws BAD_USER_INPUT naming `argument`. A well-formed id that names no
 * entity is not an error here: lookups answer null for it.
 *
 *     parseGlobalId('person:chen-zhi', 'id') // { prefix: 'person', label: 'Person', slug: 'chen-zhi' }
 */
export function parseGlobalId(id: string, argument: string): { prefix: IdPrefix; label: NodeLabel; slug: string } {
  const match = GLOBAL_ID.exec(id);
  if (!match?.[1] || !match[2]) {
    throw new BadUserInputError(
      `Argument "${argument}" is not a valid id: expected TYPE:slug with TYPE one of ${Object.keys(ID_PREFIXES).join(', ')}.`,
      argument,
    );
  }
  const prefix = match[1] as IdPrefix;
  return { prefix, label: ID_PREFIXES[prefix], slug: match[2] };
}

/** Validates every id of a list argument; returns them unchanged. */
export function parseGlobalIds(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => {
    parseGlobalId(id, argument);
    return id;
  });
}

/**
 * Checks an optional id argument that must name one of `prefixes` (a filter's `sourceId` names a source), or throws
 * BAD_USER_INPUT naming `argument`. A malformed id in a filter would otherwise match nothing, which reads as an answer.
 *
 *     checkIdOf(filter?.sourceId, ['source'], 'filter.sourceId')
 */
export function checkIdOf(id: string | null | undefined, prefixes: readonly IdPrefix[], argument: string): void {
  if (id === null || id === undefined) return;
  const { prefix } = parseGlobalId(id, argument);
  if (!prefixes.includes(prefix)) {
    throw new BadUserInputError(`Argument "${argument}" must be the id of a ${prefixes.join(' or ')} (got "${id}").`, argument);
  }
}

import { foldTokens } from './names';

/**
 * The security review's rule: a victim's id must be opaque, so it may not contain a token of the victim's
 * name or aliases. Generic words (victim, demo, person, alias, pseudonym, ...) and tokens shorter than three
 * characters are not identifying and are ignored, so `person:demo-victim-0001` for "Demo Victim Anong ..." passes.
 */
/** Words that identify nobody; the free-text rule (src/resolution/victimText.ts) skips them too. */
export const GENERIC = new Set<string>(['victim', 'victims', 'demo', 'person', 'alias', 'pseudonym', 'unknown', 'unnamed', 'anonymous', 'syn', 'synthetic', 'the', 'and']);

/** The name tokens of a victim that its id contains (empty when the id is opaque). */
export function identifyingIdTokens(id: string, name: string, aliases: readonly string[] = []): string[] {
  const slug = id.slice(id.indexOf(':') + 1);
  const idTokens = new Set(slug.split(/[^a-z0-9]+/).filter((token) => token.length > 0));
  const nameTokenSet = new Set(
    [name, ...aliases].flatMap((value) => foldTokens(value)).filter((token) => token.length >= 3 && !GENERIC.has(token)),
  );
  return [...nameTokenSet].filter((token) => idTokens.has(token)).sort();
}

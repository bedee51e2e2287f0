import { foldTokens } from './names';
import { GENERIC } from './victimIds';

/**
 * The security review's rule for free text: an event's title, description and place may not name a victim
 * who takes part in it. Journalists see victims only as pseudonyms, and text is shown to every role as
 * written, so a name there would undo the pseudonym. Refer to a victim by id ("person:demo-victim-0001"),
 * or as "a victim".
 *
 * A name is found when the text holds the victim's name, or one of their aliases, in full: its tokens,
 * folded as name matching folds them (case and diacritics ignored: "Ánong QUILLFEATHER" is "anong
 * quillfeather"), one after another. Generic words (victim, demo, pseudonym, ...) and tokens shorter than three
 * characters are left out first, so "Demo Victim Anong Quillfeather (pseudonym)" is found as "Anong
 * Quillfeather". A single given name is found when it is recorded as an alias.
 */

/** The event fields the rule reads. */
export const EVENT_TEXT_FIELDS = ['title', 'description', 'place'] as const;
export type EventTextField = (typeof EVENT_TEXT_FIELDS)[number];

/** A victim's name and aliases, as stored. */
export interface VictimNames {
  id: string;
  name: string;
  aliases?: readonly string[] | null;
}

/** The identifying token sequences of some names: one per name that has any. */
function sequencesOf(names: readonly string[]): string[][] {
  return names
    .map((value) => foldTokens(value).filter((token) => token.length >= 3 && !GENERIC.has(token)))
    .filter((tokens) => tokens.length > 0);
}

function containsSequence(text: readonly string[], sequence: readonly string[]): boolean {
  for (let start = 0; start + sequence.length <= text.length; start += 1) {
    if (sequence.every((token, offset) => text[start + offset] === token)) return true;
  }
  return false;
}

/** Whether folded text holds the victim's name, else one of their aliases, else null. */
function matchIn(tokens: readonly string[], victim: VictimNames): 'name' | 'aliases' | null {
  const holds = (names: readonly string[]) => sequencesOf(names).some((sequence) => containsSequence(tokens, sequence));
  if (holds([victim.name])) return 'name';
  return holds(victim.aliases ?? []) ? 'aliases' : null;
}

/** True when `text` names `victim` (their name or an alias in full, folded). */
export function namesVictim(text: string | null | undefined, victim: VictimNames): boolean {
  return Boolean(text) && matchIn(foldTokens(text!), victim) !== null;
}

/** An event's text fields that name one of `victims`: the field, the victim, and whether by name or by an alias. */
export function victimNamesInEvent(
  event: Partial<Record<EventTextField, string | null | undefined>>,
  victims: readonly VictimNames[],
): { field: EventTextField; victimId: string; via: 'name' | 'aliases' }[] {
  const found: { field: EventTextField; victimId: string; via: 'name' | 'aliases' }[] = [];
  for (const field of EVENT_TEXT_FIELDS) {
    const text = event[field];
    if (!text) continue;
    const tokens = foldTokens(text);
    for (const victim of victims) {
      const via = matchIn(tokens, victim);
      if (via) found.push({ field, victimId: victim.id, via });
    }
  }
  return found;
}

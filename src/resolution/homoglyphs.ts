import unhomoglyph from 'unhomoglyph';

/**
 * Letters of other scripts that look like Latin letters, read as those letters: a Cyrillic "а" or "о", a Greek
 * "ο", a dotless "ı" are "a", "o", "o" and "i". Text pasted from channels that disguise words to get past keyword
 * filters writes names this way ("Аnоng" with a Cyrillic А and о), and a reader sees the name.
 *
 * The look-alikes are Unicode's (confusables.txt of UTS #39, through unhomoglyph): a character is read as a Latin
 * letter when Unicode lists it as confusable with that one letter. ASCII is left as it is: digits are not letters
 * here ("0" is not "o"), and "m" is not "rn", as the full UTS #39 skeleton would have them. Case must be folded
 * first; the result is lower case.
 *
 *     asLatin('аnоng') // 'anong'  (Cyrillic а and о)
 *     asLatin('ольга') // 'oльra'  (only the look-alikes change; compared the same way on both sides, it still matches)
 */
export function asLatin(token: string): string {
  if (ASCII.test(token)) return token;
  let latin = '';
  for (const character of token) latin += lookalike(character);
  return latin;
}

const ASCII = /^[\p{ASCII}]*$/u;
const LATIN_LETTER = /^[a-z]$/;
const LETTER = /^\p{L}$/u;
/** Each non-ASCII character seen, and what it is read as (itself when it looks like no Latin letter). */
const seen = new Map<string, string>();

function lookalike(character: string): string {
  if (character < '\x80') return character;
  let read = seen.get(character);
  if (read === undefined) {
    const latin = LETTER.test(character) ? unhomoglyph(character).toLowerCase() : character;
    read = LATIN_LETTER.test(latin) ? latin : character;
    seen.set(character, read);
  }
  return read;
}

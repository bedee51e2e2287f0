import unhomoglyph from 'unhomoglyph';

/**
 * Letters of other scripts that look like Latin letters, read as those letters: a Cyrillic "А" or "о", a Greek "Β",
 * a dotless "ı" are "A", "o", "B" and "i". Text pasted from channels that disguise words to get past keyword filters
 * writes names this way ("Аnоng" with a Cyrillic А and о), and a reader sees the name.
 *
 * The look-alikes are Unicode's (confusables.txt of UTS #39, through unhomoglyph): a character is read as a Latin
 * letter when Unicode lists it as confusable with that one letter. Case is kept and must be folded after, not
 * before: a Cyrillic "В" looks like "B", its lower case "в" like no Latin letter. ASCII is left as it is: digits are
 * not letters here ("0" is not "O"), and "m" is not "rn", as the full UTS #39 skeleton would have them. Characters for
 * which `keep` is true are left as they are too.
 *
 *     asLatin('Аnоng Вrannoch') // 'Anong Brannoch'  (Cyrillic А, о and В)
 *     asLatin('Ольга')          // 'Oльra'  (only the look-alikes change; compared the same way on both sides, it still matches)
 */
export function asLatin(text: string, keep: (character: string) => boolean = () => false): string {
  if (ASCII.test(text)) return text;
  let latin = '';
  for (const character of text) latin += character < '\x80' || keep(character) ? character : lookalike(character);
  return latin;
}

const ASCII = /^[\p{ASCII}]*$/u;
const LATIN_LETTER = /^[A-Za-z]$/;
const LETTER = /^\p{L}$/u;
/** Each non-ASCII character seen, and what it is read as (itself when it looks like no Latin letter). */
const seen = new Map<string, string>();

function lookalike(character: string): string {
  let read = seen.get(character);
  if (read === undefined) {
    const latin = LETTER.test(character) ? unhomoglyph(character) : character;
    read = LATIN_LETTER.test(latin) ? latin : character;
    seen.set(character, read);
  }
  return read;
}

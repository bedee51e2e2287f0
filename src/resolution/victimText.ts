import { characterSpellings, foldHan, hanSpellings } from './hanVariants';
import { asLatin } from './homoglyphs';
import { foldTokens, INVISIBLE } from './names';
import { GENERIC } from './victimIds';

/**
 * The security review's rule for free text: no text that every role reads may name a victim. Journalists
 * see victims only as pseudonyms, and text is shown to every role as written, so a name there would undo
 * the pseudonym. Refer to a victim by id ("person:demo-victim-0001"), or as "a victim".
 *
 * The text is every event's title, description and place, every source's title and notes, the description
 * of every compound, organisation and person who is not a victim, every relationship's position, and the
 * value and note of every claim about anything but a victim. A victim's own record is shown to journalists
 * masked, and is exempt.
 *
 * A name is found when the text holds the victim's name, or one of their aliases, in full: its tokens,
 * folded as name matching folds them (case, diacritics and invisible characters such as soft hyphens and
 * zero-width spaces ignored: "Ánong QUILL\u00ADFEATHER" is "anong quillfeather"; letters of other scripts that look
 * like Latin ones read as those, src/resolution/homoglyphs.ts: "Аnоng" with a Cyrillic А and о is "anong"), one after
 * another. Generic words (victim, demo, pseudonym, ...) and tokens shorter than three characters are left out first,
 * so "Demo Victim Anong Quillfeather (pseudonym)" is found as "Anong Quillfeather" (the text's short tokens are left
 * out too, so "Ota O'Dowd" is found as "ota dowd"). A single given name is found when it is recorded as an alias.
 *
 * Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese) have no
 * words to compare, and in Korean a name is written joined to its particle ("김민준이", "김민준은"): a name holding
 * any of their letters is found when the text holds it as a run of characters, spaces and punctuation ignored on both
 * sides ("陈志" in "据报道陈志被转移", "สมชาย ใจดี" in "ผู้เสียหายสมชายใจดีถูกย้าย", "김민준" in "김민준이 이송되었다").
 * Case is folded and the text put in NFKC form, but marks are kept: in these scripts they are vowels and tones, and
 * dropping them would make different names one. That part of a name needs at least two characters; the rest of it
 * ("Chen Zhi" of "Chen Zhi 陈志") is found as words. A Chinese character is compared in one spelling however it is
 * written (src/resolution/hanVariants.ts): simplified, traditional, Taiwan's or Hong Kong's forms, Japanese shinjitai
 * ("陈志" is found in "據報道陳志被轉移"). Katakana and hiragana are one ("佐藤さくら" is found in "佐藤サクラ").
 *
 * Stored victims and stored text are found through full-text indexes (`victim_names`, `free_text`,
 * `relation_free_text`, src/db/migrations.ts) with the queries built here, then checked by this rule.
 */

/** The event fields the rule reads. */
export const EVENT_TEXT_FIELDS = ['title', 'description', 'place'] as const;

/** A victim's name and aliases, as stored. */
export interface VictimNames {
  id: string;
  name: string;
  aliases?: readonly string[] | null;
}

/** One victim a text names, and whether by their name or by one of their aliases. */
export interface VictimNamed {
  victimId: string;
  via: 'name' | 'aliases';
}

const identifying = (token: string): boolean => token.length >= 3 && !GENERIC.has(token);

/**
 * The Unicode scripts whose names are found as runs of characters (see above), by their Unicode names: those written
 * without spaces between words, and Hangul, whose words carry their particles.
 */
export const UNSPACED_SCRIPTS = ['Han', 'Hiragana', 'Katakana', 'Thai', 'Lao', 'Khmer', 'Myanmar', 'Hangul'] as const;

const UNSPACED_LETTERS = UNSPACED_SCRIPTS.map((script) => `\\p{Script=${script}}`).join('');
/** A letter of an unspaced script. */
const UNSPACED = new RegExp(`[${UNSPACED_LETTERS}]`, 'u');
/** Whatever is neither a letter of an unspaced script nor a mark. */
const NOT_UNSPACED = new RegExp(`[^${UNSPACED_LETTERS}\\p{M}]+`, 'gu');

/** True when `text` holds a letter of a script written without spaces between words. */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED.test(text);
}

/** Katakana that have a hiragana twin (ァ to ヶ), and their twins (ぁ to ゖ), 0x60 apart. */
const KATAKANA = /[\u30a1-\u30f6]/g;
const HIRAGANA = /[\u3041-\u3096]/g;
const KANA_OFFSET = 0x60;

const shiftKana = (from: RegExp, offset: number) => (text: string): string =>
  text.replace(from, (kana) => String.fromCharCode(kana.charCodeAt(0) + offset));
const toHiragana = shiftKana(KATAKANA, -KANA_OFFSET);
const toKatakana = shiftKana(HIRAGANA, KANA_OFFSET);

/**
 * Without invisible characters, NFKC and lower case, each Chinese character in its one spelling
 * (src/resolution/hanVariants.ts) and katakana as hiragana: how names and text in these scripts are compared. A
 * Japanese name is one name in either kana (さくら, サクラ).
 */
function foldUnspaced(text: string): string {
  return toHiragana(foldHan(text.replace(INVISIBLE, '').normalize('NFKC').toLowerCase()));
}

/** `text` as one run of characters, folded (`foldUnspaced`), without spaces, punctuation or symbols; marks kept. */
export function unspacedRun(text: string): string {
  return foldUnspaced(text).replace(/[^\p{L}\p{N}\p{M}]+/gu, '');
}

/**
 * The pieces of a name in unspaced scripts ("สมชาย", "ใจดี" of "สมชาย ใจดี"; "陈志" of "Chen Zhi 陳志"), folded
 * (`foldUnspaced`), marks kept; none when that part has fewer than two characters. The rest of such a name is found
 * as words, as any name is. Together the pieces are the run the name is found as.
 */
function unspacedPieces(name: string): string[] {
  if (!hasUnspacedScript(name)) return [];
  const pieces = foldUnspaced(name)
    .split(NOT_UNSPACED)
    .filter((piece) => piece.length > 0);
  return [...pieces.join('')].length >= 2 ? pieces : [];
}

/** The identifying tokens of one name, in order: what the text must hold one after another. */
function sequenceOf(name: string): string[] {
  return foldTokens(name).filter(identifying);
}

/** A character of an unspaced script: such text is compared as runs, so its letters are never read as Latin. */
const inUnspacedScript = (character: string): boolean => UNSPACED.test(character);

/**
 * {@link foldTokens} of `text` as a reader sees it: look-alike letters of other scripts read as the Latin ones they
 * look like (src/resolution/homoglyphs.ts), before case is folded ("Вrannoch" with a Cyrillic В is "brannoch").
 */
function readTokens(text: string): string[] {
  return foldTokens(asLatin(text, inUnspacedScript));
}

/** {@link sequenceOf} as a reader sees the name (`readTokens`), without its part in unspaced scripts. */
function readSequenceOf(name: string): string[] {
  return readTokens(name).filter((token) => identifying(token) && !hasUnspacedScript(token));
}

/** Names as token sequences, by their first token: finds every one a text's tokens hold, one token after another. */
class Sequences {
  private readonly byFirstToken = new Map<string, { victim: number; via: VictimNamed['via']; tokens: string[] }[]>();

  get size(): number {
    return this.byFirstToken.size;
  }

  add(victim: number, via: VictimNamed['via'], tokens: string[]): void {
    const first = tokens[0];
    if (first === undefined) return;
    const list = this.byFirstToken.get(first) ?? [];
    list.push({ victim, via, tokens });
    this.byFirstToken.set(first, list);
  }

  /** Records in `found` each name `tokens` holds (by name over by alias). */
  findIn(tokens: readonly string[], found: Map<number, VictimNamed['via']>): void {
    tokens.forEach((token, start) => {
      for (const entry of this.byFirstToken.get(token) ?? []) {
        if (found.get(entry.victim) === 'name') continue;
        if (entry.tokens.every((t, offset) => tokens[start + offset] === t)) found.set(entry.victim, entry.via);
      }
    });
  }
}

/**
 * Finds, in any text, which of a set of victims it names. Built once for many texts: each text is folded once
 * (twice when it has letters outside ASCII: as written, and as read with its look-alikes as Latin) and only the
 * names that start with one of its tokens are compared.
 *
 *     new VictimMatcher(victims).find('Anong Quillfeather was moved') // [{ victimId: 'person:…', via: 'name' }]
 */
export class VictimMatcher {
  /** Every name's identifying tokens, folded. */
  private readonly names = new Sequences();
  /** The names that read differently with their look-alikes as Latin ("Yıldız" is "yildiz"), so read. */
  private readonly readNames = new Sequences();
  /** Names in scripts written without spaces, found as runs of characters. */
  private readonly runs: { victim: number; via: VictimNamed['via']; run: string }[] = [];
  private readonly ids: string[] = [];

  constructor(victims: Iterable<VictimNames>) {
    for (const victim of victims) {
      const index = this.ids.push(victim.id) - 1;
      const names: [string, VictimNamed['via']][] = [[victim.name, 'name'], ...(victim.aliases ?? []).map((alias): [string, VictimNamed['via']] => [alias, 'aliases'])];
      for (const [name, via] of names) {
        const pieces = unspacedPieces(name);
        if (pieces.length > 0) this.runs.push({ victim: index, via, run: pieces.join('') });
        const tokens = sequenceOf(name).filter((token) => !hasUnspacedScript(token));
        this.names.add(index, via, tokens);
        const read = readSequenceOf(name);
        if (read.join(' ') !== tokens.join(' ')) this.readNames.add(index, via, read);
      }
    }
  }

  /** The victims `text` names, in the order they were given, each once: by name when it holds the name. */
  find(text: string | null | undefined): VictimNamed[] {
    if (!text || (this.names.size === 0 && this.runs.length === 0)) return [];
    const found = new Map<number, VictimNamed['via']>();
    if (this.runs.length > 0 && hasUnspacedScript(text)) {
      const run = unspacedRun(text);
      for (const entry of this.runs) {
        if (found.get(entry.victim) !== 'name' && run.includes(entry.run)) found.set(entry.victim, entry.via);
      }
    }
    // Tokens the names leave out for being short are left out of the text too: "Maria de los Santos" is
    // "maria los santos" on both sides. Generic words stay: "Nong and Quill" does not name "Nong Quill".
    const long = (token: string): boolean => token.length >= 3;
    const tokens = foldTokens(text).filter(long);
    this.names.findIn(tokens, found);
    // As read: a name disguised with look-alikes ("Вrannoch") holds an ASCII name; a name with look-alikes of its own
    // ("Yıldız") is held by the text as read, with or without them. Case is folded after, so "ОЛЬГА" is still "Ольга".
    const latin = asLatin(text, inUnspacedScript);
    const read = latin === text ? tokens : foldTokens(latin).filter(long);
    if (read !== tokens) this.names.findIn(read, found);
    if (this.readNames.size > 0) this.readNames.findIn(read, found);
    return [...found.entries()].sort(([a], [b]) => a - b).map(([index, via]) => ({ victimId: this.ids[index]!, via }));
  }
}

/** True when `text` names `victim` (their name or an alias in full, folded). */
export function namesVictim(text: string | null | undefined, victim: VictimNames): boolean {
  return new VictimMatcher([victim]).find(text).length > 0;
}

/** A word in a Lucene phrase: only `"` and `\` mean something there. */
function quoted(word: string): string {
  return `"${word.toLowerCase().replace(/["\\]/g, '\\$&')}"`;
}

/** The whitespace-separated words of `text` that hold an identifying token, lower-cased, each once. */
function identifyingWords(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter((word) => foldTokens(word).some(identifying)).map((word) => word.toLowerCase()))];
}

/**
 * Lucene queries that find, in the `victim_names` index, every victim that one of `texts` might name: each
 * identifying word of the texts as the index's analyzer splits it (a quoted phrase) and as this rule splits
 * it (its folded tokens, and those read as Latin where it holds look-alike letters), each term once, any of them
 * matching, at most `termsPerQuery` terms a query (Lucene allows 1024 clauses, and each term is one for each of the
 * index's two fields). Empty when no text has an identifying word.
 */
export function victimCandidateQueries(texts: Iterable<string>, termsPerQuery = 200): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const word of identifyingWords(text)) {
      const tokens = foldTokens(word).filter(identifying);
      if (tokens.length !== 1 || tokens[0] !== word) terms.add(quoted(word));
      for (const token of tokens) terms.add(token);
      // A name disguised with look-alike letters ("Аnоng") is also looked up as the Latin name it shows.
      const latin = asLatin(word, inUnspacedScript);
      if (latin !== word) for (const token of foldTokens(latin).filter(identifying)) terms.add(token);
    }
  }
  const all = [...terms];
  const queries: string[] = [];
  for (let start = 0; start < all.length; start += termsPerQuery) queries.push(all.slice(start, start + termsPerQuery).join(' '));
  return queries;
}

/** The most spellings of one piece of a name looked up as phrases; a piece with more is looked up character by character. */
const MAX_SPELLINGS = 16;
const HAN_ONLY = /^\p{Script=Han}+$/u;
const HAN_CHARACTER = /\p{Script=Han}/gu;

/**
 * The Lucene clause that finds a piece of a name (`unspacedPieces`) in stored text, however it is written there: in
 * each spelling of its Chinese characters, and with its kana as hiragana or as katakana. Each spelling is asked for
 * as a phrase (Lucene splits Chinese and hiragana into one token a character) and, unless the piece is all Chinese,
 * inside a longer token (Lucene keeps a run of Thai, Lao, Khmer, Burmese, katakana or Korean as one). A piece with
 * more than `MAX_SPELLINGS` spellings of its Chinese characters is looked up as each of them, in any spelling,
 * anywhere: more texts, which the rule then checks.
 */
function pieceClause(piece: string): string {
  const spellings = hanSpellings(piece, MAX_SPELLINGS)?.flatMap((spelling) => [...new Set([spelling, toKatakana(spelling)])]) ?? null;
  if (spellings === null) {
    const characters = [...new Set(piece.match(HAN_CHARACTER) ?? [])];
    return characters.map((character) => `+(${characterSpellings(character).map(quoted).join(' OR ')})`).join(' ');
  }
  const wildcard = !HAN_ONLY.test(piece);
  return `+(${spellings.map((spelling) => (wildcard ? `${quoted(spelling)} OR *${spelling}*` : quoted(spelling))).join(' OR ')})`;
}

const ASCII_WORD = /^[\p{ASCII}]+$/u;
const ASCII_TEXT = /^[\p{ASCII}]*$/u;
/** Any invisible character (a non-global {@link INVISIBLE}, so `test` keeps no state). */
const HAS_INVISIBLE = new RegExp(INVISIBLE.source, 'u');

/** The free-text fields of stored records: what the `free_text`, `relation_free_text` and `*read_text` indexes hold. */
export const STORED_TEXT_FIELDS = ['title', 'description', 'place', 'notes', 'value', 'note', 'position'] as const;

/**
 * The words of a record's free text as a reader sees them (folded as this rule folds: invisible characters dropped,
 * look-alike letters read as Latin), for the `read_text` and `relation_read_text` indexes. Lucene's analyzer drops
 * neither, so `free_text` does not hold "Veri\u00ADdian" or "Аnоng" as the words a reader sees; this does, so that a
 * victim recorded after the text is found in it (`storedTextQuery`). Undefined when every text reads as written, which
 * is nearly always: a text needs it when it has an invisible character, or a word that reads as a Latin word only once
 * its look-alikes are read ("Аnоng"; not "Ольга", which Lucene indexes as written). Only the texts that need it are
 * included, joined by " | ".
 *
 *     textAsRead(['Seen with Veri\u00ADdian', null]) // 'seen with veridian'
 *     textAsRead(['Seen with Veridian'])          // undefined
 */
export function textAsRead(texts: readonly (string | null | undefined)[]): string | undefined {
  const read: string[] = [];
  for (const text of texts) {
    // ASCII holds no invisible character and no look-alike: most text, and it costs no fold.
    if (!text || ASCII_TEXT.test(text)) continue;
    const tokens = foldTokens(text);
    const latin = readTokens(text);
    // A word disguised with look-alikes reads as a Latin one; a Cyrillic or Greek word that merely has some is
    // indexed as it is.
    const disguised =
      latin.length !== tokens.length || latin.some((token, index) => token !== tokens[index] && ASCII_WORD.test(token));
    if (disguised || HAS_INVISIBLE.test(text)) read.push(latin.join(' '));
  }
  return read.length > 0 ? read.join(' | ') : undefined;
}

/**
 * A Lucene query that finds, in the `free_text`, `relation_free_text` and `*read_text` indexes, every stored text
 * that might hold `name`: all of its identifying tokens (also as read, when the name has look-alike letters of its
 * own), or all of its identifying words as the index's analyzer splits them ("O'Brien" is one token to Lucene, two to
 * this rule). The part of a name in an unspaced script is looked for piece by piece (`pieceClause`). Null when the
 * name has nothing to find.
 */
export function storedTextQuery(name: string): string | null {
  const alternatives: string[] = [];
  const tokens = sequenceOf(name).filter((token) => !hasUnspacedScript(token));
  if (tokens.length > 0) {
    alternatives.push(`(${tokens.map((token) => `+${token}`).join(' ')})`);
    // A name with look-alike letters of its own ("Yıldız" with a dotless ı), as text without them writes it.
    const read = readSequenceOf(name);
    if (read.length > 0 && read.join(' ') !== tokens.join(' ')) alternatives.push(`(${read.map((token) => `+${token}`).join(' ')})`);
    const words = identifyingWords(name).filter((word) => !hasUnspacedScript(word));
    if (!words.every((word) => /^[\p{Ll}\p{N}]+$/u.test(word))) alternatives.push(`(${words.map((word) => `+${quoted(word)}`).join(' ')})`);
  }
  const pieces = unspacedPieces(name);
  if (pieces.length > 0) {
    alternatives.push(`(${pieces.map(pieceClause).join(' ')})`);
  }
  return alternatives.length > 0 ? alternatives.join(' OR ') : null;
}

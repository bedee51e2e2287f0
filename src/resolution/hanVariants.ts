import OpenCC, { type DictGroup } from 'opencc-js';

/**
 * One spelling for a Chinese character however it is written: traditional (陳), simplified (陈), Taiwan's and Hong
 * Kong's variant forms (台/臺, 裡/裏) and Japanese shinjitai (広, 廣 and 广 are one). The victim-name rule
 * (src/resolution/victimText.ts) compares names and text in this spelling, so a victim recorded as 陈志 is found in a
 * text that writes 陳志.
 *
 * It converts character by character, with OpenCC's character tables (opencc-js) and none of its phrase tables,
 * so a character folds the same way wherever it stands: inside a name and inside a sentence. It is for comparing
 * only; a folded text may read oddly (乾隆 folds to 干隆) and is never shown or stored.
 */

type Fold = (text: string) => string;

/** The characters of OpenCC's tables, each once (spaces and the `|` between entries left out). */
function charactersOf(dictionaries: readonly string[]): Set<string> {
  const characters = new Set<string>();
  for (const dictionary of dictionaries) for (const character of dictionary) if (character !== ' ' && character !== '|') characters.add(character);
  return characters;
}

/** Built at first use: the fold, and for each folded character every character that folds to it. */
let tables: { fold: Fold; spellings: Map<string, string[]> } | undefined;

function build(): NonNullable<typeof tables> {
  const { from, to } = OpenCC.Locale;
  // Each preset is [[phrases, characters]]; only the character tables are taken.
  const characterTable = (groups: readonly DictGroup[] | undefined, name: string): string => {
    const table = groups?.[0]?.[1];
    if (typeof table !== 'string') throw new Error(`opencc-js has no ${name} character table`);
    return table;
  };
  const variants = [characterTable(from.tw, 'Taiwan'), characterTable(from.hk, 'Hong Kong'), characterTable(from.jp, 'shinjitai')];
  const simplified = characterTable(to.cn, 'simplified');
  // First each regional or Japanese form to OpenCC's traditional form, then that to the simplified one.
  const fold = OpenCC.ConverterFactory(variants, [simplified]);
  const byFolded = new Map<string, Set<string>>();
  for (const character of charactersOf([...variants, simplified])) {
    const folded = fold(character);
    if ([...folded].length !== 1) continue;
    const set = byFolded.get(folded) ?? new Set([folded]);
    set.add(character);
    byFolded.set(folded, set);
  }
  // The folded character first, then the others in code-point order.
  const spellings = new Map(
    [...byFolded].map(([folded, set]): [string, string[]] => [folded, [folded, ...[...set].filter((character) => character !== folded).sort()]]),
  );
  return { fold, spellings };
}

function loaded(): NonNullable<typeof tables> {
  tables ??= build();
  return tables;
}

const HAN = /\p{Script=Han}/u;

/** `text` with every Chinese character in its one spelling (above); text without one is returned as it is. */
export function foldHan(text: string): string {
  return HAN.test(text) ? loaded().fold(text) : text;
}

/** Every character that folds to `folded` (one character already through `foldHan`), `folded` first. */
export function characterSpellings(folded: string): readonly string[] {
  return (HAN.test(folded) ? loaded().spellings.get(folded) : undefined) ?? [folded];
}

/**
 * Every way of writing `folded` (a run already through `foldHan`) that folds to it, at most `limit`: the product of
 * each character's spellings, in order, the folded run first. Null when there are more than `limit`.
 *
 *     hanSpellings('陈志', 8) // ['陈志', '陈誌', '陳志', '陳誌']
 */
export function hanSpellings(folded: string, limit: number): string[] | null {
  if (!HAN.test(folded)) return [folded];
  let runs = [''];
  for (const character of folded) {
    const options = characterSpellings(character);
    if (runs.length * options.length > limit) return null;
    runs = runs.flatMap((run) => options.map((option) => run + option));
  }
  return runs;
}

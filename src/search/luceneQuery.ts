/**
 * Turns what a person types into a safe Lucene query for the `node_names` full-text index.
 * Every word must match (AND), each as itself (analysed: case- and accent-folded, CJK split) or as a
 * prefix; words of five letters or more also match with one typo. Lucene syntax in the input is never
 * interpreted: only letters and digits survive.
 *
 *     toLuceneQuery('Chén Zh')  // '(chen OR chen*) AND (zh OR zh*)'
 */
export function toLuceneQuery(input: string): string | undefined {
  const words = foldAccents(input)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 12);
  if (words.length === 0) return undefined;
  return words
    .map((word) => {
      const clauses = [word, `${word}*`];
      if (word.length >= 5 && /^[a-z0-9]+$/.test(word)) clauses.push(`${word}~1`);
      return `(${clauses.join(' OR ')})`;
    })
    .join(' AND ');
}

/** Removes diacritics (é -> e), as the index's standard-folding analyzer does for indexed text. */
export function foldAccents(text: string): string {
  // Printable ASCII (most queries) has nothing to fold: decomposing it costs more than the rest of the query.
  return ASCII.test(text) ? text : text.normalize('NFD').replace(/\p{M}+/gu, '');
}

const ASCII = /^[\x20-\x7e]*$/;

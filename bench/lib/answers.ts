/**
 * Whether @neo4j/graphql answered the same question: its answer is shaped differently from ours (an
 * organisation's members are three fields there, one here), so two answers are compared by what they
 * name, the distinct `id`s anywhere in them, and by any `totalCount`.
 *
 * A ranked page (edges with a `score` and a `node`) ends at its lowest score, where ties are broken differently (ours
 * by id, @neo4j/graphql in index order) and the two full-text queries score differently. Ids that only one side names
 * count as the same answer when each has the lowest score on the page of the side that names it, and the totals and
 * the page lengths agree: both did the same work and differ only at the cut. The report names them.
 */
export interface AnswerComparison {
  same: boolean;
  /** Distinct ids in each answer. */
  ours: number;
  theirs: number;
  /** Up to five ids only one side named, for the report. */
  onlyOurs: string[];
  onlyTheirs: string[];
  /** Every `totalCount`, in document order. */
  totals: { ours: number[]; theirs: number[] };
  /** With `same`: how many ids only one side named, each at the lowest score of its side's ranked page (0 if none). */
  atCut: number;
}

interface Answer {
  ids: Set<string>;
  totals: number[];
  /** The score of each ranked node (an edge's `node.id` and `score`). */
  scores: Map<string, number>;
}

function collect(value: unknown, answer: Answer): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, answer);
  } else if (value !== null && typeof value === 'object') {
    const { score, node } = value as { score?: unknown; node?: { id?: unknown } | null };
    if (typeof score === 'number' && typeof node?.id === 'string') answer.scores.set(node.id, score);
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') answer.ids.add(inner);
      else if (key === 'totalCount' && typeof inner === 'number') answer.totals.push(inner);
      else collect(inner, answer);
    }
  }
}

function parse(text: string): Answer {
  const answer: Answer = { ids: new Set(), totals: [], scores: new Map() };
  collect((JSON.parse(text) as { data?: unknown }).data, answer);
  return answer;
}

/** True when every id of `only` is a ranked node of `answer` with the lowest score of its page. */
function atCut(only: string[], answer: Answer): boolean {
  const lowest = Math.min(...answer.scores.values());
  return only.every((id) => answer.scores.get(id) === lowest);
}

/** Compares the `data` of two GraphQL response bodies (JSON text). */
export function compareAnswers(oursText: string, theirsText: string): AnswerComparison {
  const ours = parse(oursText);
  const theirs = parse(theirsText);
  const onlyOurs = [...ours.ids].filter((id) => !theirs.ids.has(id));
  const onlyTheirs = [...theirs.ids].filter((id) => !ours.ids.has(id));
  const sameTotals = JSON.stringify(ours.totals) === JSON.stringify(theirs.totals);
  const differ = onlyOurs.length + onlyTheirs.length;
  const onlyAtCut =
    differ > 0 && ours.scores.size === theirs.scores.size && ours.ids.size === theirs.ids.size && atCut(onlyOurs, ours) && atCut(onlyTheirs, theirs);
  return {
    same: sameTotals && (differ === 0 || onlyAtCut),
    ours: ours.ids.size,
    theirs: theirs.ids.size,
    onlyOurs: onlyOurs.slice(0, 5),
    onlyTheirs: onlyTheirs.slice(0, 5),
    totals: { ours: ours.totals, theirs: theirs.totals },
    atCut: onlyAtCut ? differ : 0,
  };
}

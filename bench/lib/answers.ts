/**
 * Whether @neo4j/graphql answered the same question: its answer is shaped differently from ours (an
 * organisation's members are three fields there, one here), so two answers are compared by what they
 * name, the distinct `id`s anywhere in them, and by any `totalCount`.
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
}

function collect(value: unknown, ids: Set<string>, totals: number[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, ids, totals);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') ids.add(inner);
      else if (key === 'totalCount' && typeof inner === 'number') totals.push(inner);
      else collect(inner, ids, totals);
    }
  }
}

/** Compares the `data` of two GraphQL response bodies (JSON text). */
export function compareAnswers(oursText: string, theirsText: string): AnswerComparison {
  const ours = new Set<string>();
  const theirs = new Set<string>();
  const totals = { ours: [] as number[], theirs: [] as number[] };
  collect((JSON.parse(oursText) as { data?: unknown }).data, ours, totals.ours);
  collect((JSON.parse(theirsText) as { data?: unknown }).data, theirs, totals.theirs);
  const onlyOurs = [...ours].filter((id) => !theirs.has(id));
  const onlyTheirs = [...theirs].filter((id) => !ours.has(id));
  return {
    same: onlyOurs.length === 0 && onlyTheirs.length === 0 && JSON.stringify(totals.ours) === JSON.stringify(totals.theirs),
    ours: ours.size,
    theirs: theirs.size,
    onlyOurs: onlyOurs.slice(0, 5),
    onlyTheirs: onlyTheirs.slice(0, 5),
    totals,
  };
}

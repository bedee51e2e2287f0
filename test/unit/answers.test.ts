import { compareAnswers } from '../../bench/lib/answers';

/** bench/lib/answers.ts: whether @neo4j/graphql gave the benchmark the same answer as ours. */
const page = (total: number, edges: [string, number][]): string =>
  JSON.stringify({ data: { search: { totalCount: total, edges: edges.map(([id, score]) => ({ score, node: { id, name: id } })) } } });

describe('the benchmark answers check', () => {
  it('finds two answers that name the same ids and totals the same', () => {
    const answer = compareAnswers(page(3, [['a', 2], ['b', 1.5], ['c', 1]]), page(3, [['b', 1.7], ['a', 2.1], ['c', 1.1]]));
    expect(answer).toMatchObject({ same: true, ours: 3, theirs: 3, atCut: 0 });
  });

  it('counts ids that differ only at the lowest score of each page as the same answer, and says how many', () => {
    // Four hits, a page of three: c and d are at the cut, and each side kept a different one.
    const answer = compareAnswers(page(4, [['a', 3], ['b', 2], ['c', 1]]), page(4, [['a', 3.5], ['b', 2.5], ['d', 1.5]]));
    expect(answer).toMatchObject({ same: true, onlyOurs: ['c'], onlyTheirs: ['d'], atCut: 2 });
  });

  it('reports a difference above the cut', () => {
    const answer = compareAnswers(page(4, [['a', 3], ['c', 2], ['b', 1]]), page(4, [['a', 3], ['d', 2], ['b', 1]]));
    expect(answer).toMatchObject({ same: false, onlyOurs: ['c'], onlyTheirs: ['d'], atCut: 0 });
  });

  it('reports different totals, and pages of different lengths, even when the ids differ only at the cut', () => {
    expect(compareAnswers(page(3, [['a', 2], ['b', 1]]), page(4, [['a', 2], ['b', 1]])).same).toBe(false);
    expect(compareAnswers(page(4, [['a', 2], ['b', 1]]), page(4, [['a', 2], ['c', 1], ['d', 1]])).same).toBe(false);
  });

  it('compares answers without scores by their ids alone', () => {
    const ours = JSON.stringify({ data: { compounds: [{ id: 'x', operators: [{ id: 'y' }] }] } });
    expect(compareAnswers(ours, JSON.stringify({ data: { compounds: [{ id: 'x', operatedBy: [{ id: 'y' }] }] } })).same).toBe(true);
    expect(compareAnswers(ours, JSON.stringify({ data: { compounds: [{ id: 'x', operatedBy: [{ id: 'z' }] }] } })).same).toBe(false);
  });
});

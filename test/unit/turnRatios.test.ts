import { describeTurnRatios, turnRatios } from '../../bench/lib/report';

describe('bench report: ours ÷ raw turn by turn', () => {
  it('divides each turn of ours by the same turn of the floor', () => {
    expect(turnRatios([2.21, 3.23, 2.25], [2.34, 1.84, 1.69]).map((r) => Number(r.toFixed(3)))).toEqual([0.944, 1.755, 1.331]);
  });

  it('gives nothing when either side has no turns, or they have different numbers of turns', () => {
    expect(turnRatios(undefined, [1, 2])).toEqual([]);
    expect(turnRatios([1, 2], [])).toEqual([]);
    expect(turnRatios([1, 2, 3], [1, 2])).toEqual([]);
  });

  it('leaves out a turn whose floor p50 is 0 (no responses)', () => {
    expect(turnRatios([1, 2], [0, 1])).toEqual([2]);
  });

  it('states the range and the median: the middle one of an odd count, the mean of the middle two of an even one', () => {
    expect(describeTurnRatios([1.48, 0.94, 2.47, 1.33, 1.76])).toBe(' (turn by turn 0.94–2.47, median 1.48)');
    expect(describeTurnRatios([1.2, 1.1, 1.4, 1.3])).toBe(' (turn by turn 1.10–1.40, median 1.25)');
    expect(describeTurnRatios([1.2])).toBe('');
  });
});

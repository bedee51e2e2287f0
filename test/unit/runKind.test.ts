import { isPartialRun, measurementPlan, runDefaults } from '../../bench/lib/runKind';

describe('benchmark run kind', () => {
  const full = { quick: false, ...runDefaults(false) };
  const quick = { quick: true, ...runDefaults(true) };

  it('treats a run of the mode\'s own scales, concurrency and queries as complete', () => {
    expect(isPartialRun(full)).toBe(false);
    expect(isPartialRun(quick)).toBe(false);
    expect(isPartialRun({ ...full, scales: ['10k', '100k', '1M'], concurrency: [1, 8, 32] })).toBe(false);
  });

  it('treats fewer scales, other concurrency levels, --only or --profile as partial', () => {
    expect(isPartialRun({ ...full, scales: ['100k'] })).toBe(true);
    expect(isPartialRun({ ...full, concurrency: [1, 8] })).toBe(true);
    expect(isPartialRun({ ...full, only: ['search'] })).toBe(true);
    expect(isPartialRun({ ...full, profile: true })).toBe(true);
    expect(isPartialRun({ ...quick, scales: ['100k'] })).toBe(true);
    expect(isPartialRun({ ...quick, concurrency: [1] })).toBe(true);
  });

  it('does not take the quick defaults for a full run', () => {
    expect(isPartialRun({ ...full, scales: ['10k'], concurrency: [1, 8] })).toBe(true);
  });

  it('measures one connection in its own turns (many short ones in a full run), and other concurrencies as set', () => {
    const full = { durationS: 10, turns: 5, latencyTurns: 40, latencyTurnS: 0.5 };
    expect(measurementPlan(1, full)).toEqual({ durationS: 20, turns: 40 });
    expect(measurementPlan(8, full)).toEqual({ durationS: 10, turns: 5 });
    expect(measurementPlan(32, full)).toEqual({ durationS: 10, turns: 5 });
    expect(measurementPlan(1, { durationS: 3, turns: 3, latencyTurns: 3, latencyTurnS: 1 })).toEqual({ durationS: 3, turns: 3 });
  });
});

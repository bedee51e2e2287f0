import fs from 'node:fs';
import path from 'node:path';
import type { LoadResult } from '../../bench/lib/load';
import { describeSteal, describeTurnRatios, latencyRatio, renderResult, throughputRatio, turnRatios } from '../../bench/lib/report';
import type { BenchResult } from '../../bench/run';
import { PROJECT_ROOT } from '../../src/projectRoot';

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

describe('bench report: the latency ratio over the quiet rounds', () => {
  const run = (p50: number, turnP50s: number[], turnSteals: number[], quiet?: { rounds: number[]; p50: number }): LoadResult => ({
    connections: 1,
    durationS: 10,
    requests: 1000,
    rps: 100,
    p50,
    p95: p50 * 2,
    p99: p50 * 3,
    mean: p50,
    failures: 0,
    turns: turnP50s.length,
    turnP50s,
    turnSteals,
    ...(quiet ? { quiet: { maxSteal: 0.1, requests: 500, p95: 0, p99: 0, ...quiet } } : {}),
  });

  it('uses the quiet rounds when there were as many as the run takes turns, and gives all rounds beside them', () => {
    const ours = run(3, [3.2, 2.4, 4.1, 2.3], [0.4, 0.02, 0.3, 0], { rounds: [1, 3], p50: 2.35 });
    const raw = run(2, [2.0, 2.0, 2.2, 2.0], [0.35, 0, 0.2, 0.05], { rounds: [1, 3], p50: 2.0 });
    const { ratio, note } = latencyRatio(ours, raw, 2);
    expect(ratio).toBeCloseTo(1.175, 9);
    expect(note).toBe(' over the 2 quiet rounds of 4 (turn by turn 1.15–1.20, median 1.17) (host steal ≤ 10 % in every turn; over all rounds 1.50x (turn by turn 1.15–1.86, median 1.40))');
  });

  it('uses all rounds, and says the host was busy, when too few were quiet', () => {
    const ours = run(3, [3.2, 2.4, 4.1], [0.4, 0.02, 0.3], { rounds: [1], p50: 2.4 });
    const raw = run(2, [2.0, 2.0, 2.2], [0.35, 0, 0.2], { rounds: [1], p50: 2.0 });
    const { ratio, note } = latencyRatio(ours, raw, 2);
    expect(ratio).toBe(1.5);
    expect(note).toBe(' (turn by turn 1.20–1.86, median 1.60); 1 of 3 rounds quiet (host steal ≤ 10 % in every turn): measured on a busy host');
  });

  it('is the ratio of all rounds when steal was not read (another OS, or a run before December 3rd, 2026)', () => {
    expect(latencyRatio(run(3, [3, 3], []), run(2, [2, 2], []), 2)).toEqual({ ratio: 1.5, note: ' (turn by turn 1.50–1.50, median 1.50)' });
  });

  it("states a row's host steal as one figure or a range", () => {
    expect(describeSteal([0.02, 0.41, 0.1])).toBe('2–41 %');
    expect(describeSteal([0.031, 0.029])).toBe('3 %');
    expect(describeSteal([])).toBe('–');
  });
});

describe('bench report: the throughput target', () => {
  it('is judged at every scale measured, not at 100k alone (the full run of December 3rd, 2026)', () => {
    const file = path.join(PROJECT_ROOT, 'bench/results/2026-12-03T18-59-26-099Z.json');
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
    const lines = renderResult(result, file).split('\n').filter((line) => line.includes('the throughput of @neo4j/graphql'));
    expect(lines).toEqual([
      '- search: 2.17x / 1.37x / 1.50x the throughput of @neo4j/graphql at 10k, c=1/8/32 (target ≥ 1.5) ❌',
      '- nestedList: 1.75x / 1.99x / 2.09x the throughput of @neo4j/graphql at 10k, c=1/8/32 (target ≥ 1.5) ✅',
      '- search: 2.11x / 1.81x / 1.65x the throughput of @neo4j/graphql at 100k, c=1/8/32 (target ≥ 1.5) ✅',
      '- nestedList: 1.77x / 1.61x / 1.93x the throughput of @neo4j/graphql at 100k, c=1/8/32 (target ≥ 1.5) ✅',
      '- search: 1.81x / 1.75x / 1.52x the throughput of @neo4j/graphql at 1M, c=1/8/32 (target ≥ 1.5) ✅',
      '- nestedList: 1.33x / 1.38x / 1.47x the throughput of @neo4j/graphql at 1M, c=1/8/32 (target ≥ 1.5) ❌',
    ]);
  });
});

describe('bench report: throughput in the median turn', () => {
  const run = (rps: number, turnRps?: number[]): LoadResult => ({
    connections: 8,
    durationS: 10,
    requests: rps * 10,
    rps,
    p50: 5,
    p95: 9,
    p99: 14,
    mean: 5.5,
    failures: 0,
    ...(turnRps ? { turns: turnRps.length, turnRps } : {}),
  });

  it("divides each system's median turn rate, so one slowed turn does not decide it; the pooled ratio beside it", () => {
    // The shape of search at 10k and 8 connections in the full run of December 5th, 2026, afternoon: one turn of ours slowed.
    const ours = run(1427.69, [1560, 1640, 1600, 1650, 1090]);
    const theirs = run(958.86, [940, 965, 985, 950, 955]);
    const { ratio, pooled } = throughputRatio(ours, theirs);
    expect(ratio).toBeCloseTo(1600 / 955, 9);
    expect(pooled).toBeCloseTo(1427.69 / 958.86, 9);
  });

  it('is the pooled ratio for runs recorded without turn rates, or with fewer than three turns', () => {
    expect(throughputRatio(run(1500), run(1000))).toEqual({ ratio: 1.5, pooled: 1.5 });
    expect(throughputRatio(run(1500, [1500, 1500]), run(1000, [1000, 1000]))).toEqual({ ratio: 1.5, pooled: 1.5 });
    expect(throughputRatio(run(1500, [1400, 1600, 1500]), run(1000))).toEqual({ ratio: 1.5, pooled: 1.5 });
  });

  it('states the median-turn ratios in the target line, with the pooled ones beside them', () => {
    const file = path.join(PROJECT_ROOT, 'bench/results/2026-12-03T18-59-26-099Z.json');
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
    const scale = result.scales.find((s) => s.label === '10k')!;
    const search = scale.queries.find((q) => q.name === 'search')!;
    // Turn rates whose medians give 2.00x, 1.60x and 1.55x where the pooled rates gave 2.17x, 1.37x and 1.50x.
    const medians: [number[], number[]][] = [
      [[400, 420, 410], [205, 210, 200]],
      [[1500, 1600, 1700], [1000, 1100, 900]],
      [[1550, 1600, 1500], [1000, 1050, 950]],
    ];
    search.runs.graphql = search.runs.graphql!.map((r, i) => ({ ...r, turnRps: medians[i]![0] }));
    search.runs['neo4j-graphql'] = search.runs['neo4j-graphql']!.map((r, i) => ({ ...r, turnRps: medians[i]![1] }));
    const line = renderResult(result, file).split('\n').find((l) => l.startsWith('- search:') && l.includes('at 10k'));
    expect(line).toBe('- search: 2.00x / 1.60x / 1.55x the throughput of @neo4j/graphql at 10k, c=1/8/32 in the median turn (pooled 2.17x / 1.37x / 1.50x) (target ≥ 1.5) ✅');
  });
});

describe('bench report: the header line', () => {
  it('names the mode, and says when the run was partial (its tables are printed, not written to bench/README.md)', () => {
    const file = path.join(PROJECT_ROOT, 'bench/results/2026-12-03T18-59-26-099Z.json');
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
    expect(renderResult(result, file).split('\n')[0]).toMatch(/^Run 2026-12-03T18:59:26\.099Z \(full\), /);
    expect(renderResult(result, file, true).split('\n')[0]).toMatch(/^Run 2026-12-03T18:59:26\.099Z \(full, partial\), /);
  });
});

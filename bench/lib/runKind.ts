/** What a benchmark run covers by default, and whether a run covers less (and so must not replace the README's tables). */

export interface RunDefaults {
  scales: string[];
  concurrency: number[];
}

export function runDefaults(quick: boolean): RunDefaults {
  return quick ? { scales: ['10k'], concurrency: [1, 8] } : { scales: ['10k', '100k', '1M'], concurrency: [1, 8, 32] };
}

/**
 * A run is partial when it leaves out queries (`--only`), scales or concurrency levels of its mode, or is
 * profiled: its JSON is kept with a `-partial` suffix and bench/README.md's tables are left alone, so that,
 * say, a run of one scale does not replace the three-scale table.
 */
export function isPartialRun(run: { quick: boolean; scales: string[]; concurrency: number[]; only?: string[] | undefined; profile?: boolean | undefined }): boolean {
  const defaults = runDefaults(run.quick);
  return run.profile === true
    || run.only !== undefined
    || run.scales.join(',') !== defaults.scales.join(',')
    || run.concurrency.join(',') !== defaults.concurrency.join(',');
}

/**
 * How one measurement is taken: at one connection, where the latency targets are judged, in `latencyTurns` turns of
 * `latencyTurnS` seconds each (shorter and more of them than elsewhere, so that the systems' turns sit closer together in
 * time and the host's drift falls on them alike); at other concurrencies in `turns` turns sharing `durationS`.
 */
export function measurementPlan(
  connections: number,
  options: { durationS: number; turns: number; latencyTurns: number; latencyTurnS: number },
): { durationS: number; turns: number } {
  if (connections !== 1) return { durationS: options.durationS, turns: options.turns };
  return { durationS: options.latencyTurnS * options.latencyTurns, turns: options.latencyTurns };
}

import type { Readable } from 'node:stream';

/** Totals of the collections a process reported under `--trace-gc-nvp`, since it started. */
export interface GcTotals {
  /** Young-generation collections (scavenges) and their pauses, in ms. */
  scavenges: number;
  scavengeMs: number;
  /** Full collections (mark-compact) and their pauses, in ms. */
  markCompacts: number;
  markCompactMs: number;
  /** Bytes allocated between collections, summed over the collections reported. */
  allocatedBytes: number;
}

const FIELD = /(\S+)=(\S+)/g;
const TOTALS = ['scavenges', 'scavengeMs', 'markCompacts', 'markCompactMs', 'allocatedBytes'] as const;

/** No collections. */
export const NO_GC: GcTotals = Object.freeze({ scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, allocatedBytes: 0 });

/** `a` plus `sign` times `b`, field by field. */
function combine(a: GcTotals, b: GcTotals, sign: 1 | -1): GcTotals {
  const out = { ...NO_GC };
  for (const field of TOTALS) out[field] = a[field] + sign * b[field];
  return out;
}

/** Two measurements' collections together. */
export const addGc = (a: GcTotals, b: GcTotals): GcTotals => combine(a, b, 1);

/** `after` minus `before`, field by field. */
export const gcSince = (before: GcTotals, after: GcTotals): GcTotals => combine(after, before, -1);

/** The totals of one `--trace-gc-nvp` line added to `totals`; other lines leave them as they are. */
export function addGcLine(totals: GcTotals, line: string): void {
  if (!line.includes(' gc=')) return;
  const fields = new Map<string, string>();
  for (const [, name, value] of line.matchAll(FIELD)) fields.set(name!, value!);
  const pause = Number(fields.get('pause') ?? 0);
  const kind = fields.get('gc');
  if (kind === 's' || kind === 'ms' || kind === 'mmc') {
    totals.scavenges += 1;
    totals.scavengeMs += pause;
  } else {
    totals.markCompacts += 1;
    totals.markCompactMs += pause;
  }
  totals.allocatedBytes += Number(fields.get('allocated') ?? 0);
}

/**
 * Follows the garbage collections a child started with `--trace-gc-nvp` reports on `stdout`: V8 prints one line per
 * collection, with its pause and the bytes allocated since the one before. Read the totals before and after a
 * measurement and subtract (`bench/cpu.ts`, `--gc`). The bytes allocated after the last collection of a measurement are
 * counted in the next one, so over many collections the per-request figure is close. `log`, when given, sees every line.
 */
export function followGc(stdout: Readable, log?: (line: string) => void): { totals(): GcTotals } {
  const totals: GcTotals = { ...NO_GC };
  let rest = '';
  stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      addGcLine(totals, line);
      log?.(line);
    }
  });
  return { totals: () => ({ ...totals }) };
}

/** One line for a measurement of `requests` requests: collections and pause per request, and KB allocated per request. */
export function describeGc(gc: GcTotals, requests: number): string {
  const per = (n: number) => n / Math.max(requests, 1);
  return (
    `GC per request: ${Math.round(per(gc.allocatedBytes) / 1024)} KB allocated, ` +
    `${Math.round(per(gc.scavengeMs) * 1000)} µs in scavenges (one every ${(requests / Math.max(gc.scavenges, 1)).toFixed(1)} requests), ` +
    `${Math.round(per(gc.markCompactMs) * 1000)} µs in ${gc.markCompacts} full collection${gc.markCompacts === 1 ? '' : 's'}`
  );
}

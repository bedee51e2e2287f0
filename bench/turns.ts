import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult } from './run';
import { storeDir } from './lib/stores';
import { SCALES } from './lib/targets';
import { gcPausesIn, readGcLog, type GcPause } from './lib/jvmGcLog';

/**
 * `npm run bench:turns -- RESULT.json [--scale 10k] [--query search] [--connections 8]`: one measurement of a benchmark
 * run turn by turn, in the order the turns ran: each system's rate and p50, where the machine's CPU went
 * (`turnCpu`: Neo4j's threads by kind, each system, the load generator, idle), and the pauses Neo4j's collector logged
 * in the turn (the store's `neo4j/logs/gc.log`, written by runs since December 5th, 2026, night). To see what a slow turn had
 * that the others did not.
 */
const USAGE = 'usage: npm run bench:turns -- RESULT.json [--scale 10k] [--query search] [--connections 8] [--gc-log FILE]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: '10k' }, query: { type: 'string', default: 'search' }, connections: { type: 'string', default: '8' }, 'gc-log': { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error(USAGE);
const result = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
const scale = result.scales.find((s) => s.label === values.scale);
if (!scale) throw new Error(`${file} has no scale ${values.scale} (it has ${result.scales.map((s) => s.label).join(', ')})`);
const query = scale.queries.find((q) => q.name === values.query);
if (!query) throw new Error(`${values.scale} has no query ${values.query}`);
const connections = Number(values.connections);

const spec = SCALES[values.scale!];
const gcFile = values['gc-log'] ?? (spec ? path.join(storeDir({ ...spec, seed: result.settings.seed }), 'neo4j', 'logs', 'gc.log') : undefined);
const pauses: GcPause[] = gcFile ? readGcLog(gcFile) : [];
if (pauses.length === 0) console.log(`(no GC log at ${gcFile ?? '?'}: pauses not shown)`);

interface Turn {
  mode: string;
  startedAt: number;
  seconds: number;
  rps: number;
  p50: number;
  cpu: Record<string, number> | null;
}
const turns: Turn[] = [];
for (const [mode, runs] of Object.entries(query.runs)) {
  const run = runs?.find((r) => r.connections === connections);
  if (!run?.turnStartedAt) continue;
  run.turnStartedAt.forEach((startedAt, i) =>
    turns.push({ mode, startedAt, seconds: run.durationS / (run.turns ?? 1), rps: run.turnRps?.[i] ?? NaN, p50: run.turnP50s?.[i] ?? NaN, cpu: run.turnCpu?.[i] ?? null }),
  );
}
if (turns.length === 0) throw new Error(`${values.query} at ${connections} connections has no turn times (runs before December 5th, 2026, night recorded none)`);
turns.sort((a, b) => a.startedAt - b.startedAt);

const accounts = [...new Set(turns.flatMap((t) => Object.keys(t.cpu ?? {})))].sort();
const origin = turns[0]!.startedAt;
console.log(`${values.scale} ${values.query} c=${connections}: ${turns.length} turns; CPU as a share of one core`);
console.log(['   at s', 'system'.padEnd(13), '   req/s', '   p50', ...accounts.map((a) => a.padStart(10)), '  GC pauses'].join(' '));
for (const turn of turns) {
  const inTurn = gcPausesIn(pauses, turn.startedAt, turn.startedAt + turn.seconds * 1000);
  const gc = inTurn.length ? `${inTurn.length}: ${inTurn.reduce((sum, p) => sum + p.ms, 0).toFixed(0)} ms (longest ${Math.max(...inTurn.map((p) => p.ms)).toFixed(0)}, ${[...new Set(inTurn.map((p) => p.kind))].join(', ')})` : '0';
  console.log(
    [
      ((turn.startedAt - origin) / 1000).toFixed(1).padStart(7),
      turn.mode.padEnd(13),
      turn.rps.toFixed(0).padStart(8),
      turn.p50.toFixed(2).padStart(6),
      ...accounts.map((a) => (turn.cpu?.[a]?.toFixed(2) ?? '-').padStart(10)),
      ` ${gc}`,
    ].join(' '),
  );
}

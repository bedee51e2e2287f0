import fs from 'node:fs';

/** One stop-the-world pause in a HotSpot GC log written with `-Xlog:gc:file=…:time,uptime` (bench/lib/stores.ts). */
export interface GcPause {
  /** When the pause ended, in ms since the epoch (HotSpot stamps a line when the pause is over). */
  at: number;
  /** "Pause Young (Normal)", "Pause Remark", "Pause Full" … */
  kind: string;
  ms: number;
}

// [2026-12-05T15:45:43.684+0000][358.430s] GC(190) Pause Young (Normal) (G1 Evacuation Pause) 846M->244M(1024M) 7.767ms
const PAUSE = /^\[(\d{4}-\d\d-\d\dT[\d:.]+)([+-]\d\d)(\d\d)\]\[[\d.]+s\] GC\(\d+\) (Pause \w+(?: \([\w ]+\))?).* ([\d.]+)ms$/;

/** The pauses of one GC log's text; other lines (concurrent phases, the collector's name) are skipped. */
export function parseGcLog(text: string): GcPause[] {
  const pauses: GcPause[] = [];
  for (const line of text.split('\n')) {
    const match = PAUSE.exec(line.trim());
    if (!match) continue;
    const [, time, hours, minutes, kind, ms] = match;
    pauses.push({ at: Date.parse(`${time}${hours}:${minutes}`), kind: kind!, ms: Number(ms) });
  }
  return pauses;
}

/** The pauses in a GC log and its rotated files (`gc.log.0` … written by HotSpot's rotation), oldest first; none when there is none. */
export function readGcLog(file: string): GcPause[] {
  const rotated = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${file}.${n}`).filter((f) => fs.existsSync(f));
  return [...rotated, file]
    .filter((f) => fs.existsSync(f))
    .flatMap((f) => parseGcLog(fs.readFileSync(f, 'utf8')))
    .sort((a, b) => a.at - b.at);
}

/** The pauses that overlap [from, to) (ms since the epoch). */
export function gcPausesIn(pauses: readonly GcPause[], from: number, to: number): GcPause[] {
  return pauses.filter((p) => p.at > from && p.at - p.ms < to);
}

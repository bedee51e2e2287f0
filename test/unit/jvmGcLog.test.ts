import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gcPausesIn, parseGcLog, readGcLog } from '../../bench/lib/jvmGcLog';

// Lines as HotSpot 17 writes them under -Xlog:gc:file=…:time,uptime (from a benchmark store's neo4j/logs/gc.log).
const LOG = `[2026-12-05T15:39:45.257+0000][0.004s] Using G1
[2026-12-05T15:39:47.134+0000][1.881s] GC(4) Pause Young (Concurrent Start) (Metadata GC Threshold) 87M->40M(1024M) 4.417ms
[2026-12-05T15:39:47.134+0000][1.881s] GC(5) Concurrent Mark Cycle
[2026-12-05T15:39:47.167+0000][1.914s] GC(5) Pause Remark 42M->41M(1024M) 6.868ms
[2026-12-05T15:39:47.190+0000][1.936s] GC(5) Pause Cleanup 42M->42M(1024M) 0.136ms
[2026-12-05T15:39:47.204+0000][1.951s] GC(5) Concurrent Mark Cycle 69.964ms
[2026-12-05T17:45:43.684+0200][358.430s] GC(190) Pause Young (Normal) (G1 Evacuation Pause) 846M->244M(1024M) 7.767ms
[2026-12-05T15:46:00.000+0000][375.000s] GC(191) Pause Full (G1 Compaction Pause) 1000M->300M(1024M) 512.5ms
`;

describe("bench: Neo4j's stop-the-world pauses, from its GC log", () => {
  test('reads each pause: when it ended (the zone applied), its kind and length; concurrent phases are not pauses', () => {
    const pauses = parseGcLog(LOG);
    expect(pauses).toEqual([
      { at: Date.parse('2026-12-05T15:39:47.134Z'), kind: 'Pause Young (Concurrent Start)', ms: 4.417 },
      { at: Date.parse('2026-12-05T15:39:47.167Z'), kind: 'Pause Remark', ms: 6.868 },
      { at: Date.parse('2026-12-05T15:39:47.190Z'), kind: 'Pause Cleanup', ms: 0.136 },
      { at: Date.parse('2026-12-05T15:45:43.684Z'), kind: 'Pause Young (Normal)', ms: 7.767 },
      { at: Date.parse('2026-12-05T15:46:00.000Z'), kind: 'Pause Full (G1 Compaction Pause)', ms: 512.5 },
    ]);
  });

  test('the pauses overlapping a window, a pause that began before it included', () => {
    const pauses = parseGcLog(LOG);
    const full = Date.parse('2026-12-05T15:46:00.000Z');
    // The full pause ran from 15:45:59.4875 to 15:46:00.000.
    expect(gcPausesIn(pauses, full - 400, full + 1000).map((p) => p.kind)).toEqual(['Pause Full (G1 Compaction Pause)']);
    expect(gcPausesIn(pauses, full - 2000, full - 600)).toEqual([]);
    expect(gcPausesIn(pauses, Date.parse('2026-12-05T15:39:47Z'), Date.parse('2026-12-05T15:39:48Z'))).toHaveLength(3);
  });

  test('reads the rotated files before the current one, oldest first; none where there is no log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-gclog-'));
    const lines = LOG.split('\n');
    fs.writeFileSync(path.join(dir, 'gc.log.0'), `${lines[1]}\n`);
    fs.writeFileSync(path.join(dir, 'gc.log'), `${lines[7]}\n${lines[6]}\n`);
    expect(readGcLog(path.join(dir, 'gc.log')).map((p) => p.ms)).toEqual([4.417, 7.767, 512.5]);
    expect(readGcLog(path.join(dir, 'none.log'))).toEqual([]);
  });
});

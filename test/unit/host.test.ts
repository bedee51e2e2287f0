import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostCpu, stealShare } from '../../bench/lib/host';

/** A /proc holding only `stat`, with the given text. */
function fakeProc(stat: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-proc-'));
  fs.writeFileSync(path.join(root, 'stat'), stat);
  return root;
}

describe("the host's CPU times and steal, from /proc/stat", () => {
  test('busy is user, nice, system, irq and softirq; steal is the eighth field', () => {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const root = fakeProc('cpu  5873562 9630 631133 10091040 19935 0 89701 535789 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n');
    expect(hostCpu(root)).toEqual({ busy: 5873562 + 9630 + 631133 + 89701, steal: 535789 });
  });

  test('undefined where there is no /proc/stat or its first line is not what Linux writes', () => {
    expect(hostCpu(path.join(os.tmpdir(), 'tg-no-such-proc'))).toBeUndefined();
    expect(hostCpu(fakeProc('cpu  1 2 3\n'))).toBeUndefined();
    expect(hostCpu(fakeProc('cpu  1 2 3 4 5 6 x 8\n'))).toBeUndefined();
  });

  test('the share of the wanted CPU time the hypervisor took between two readings', () => {
    expect(stealShare({ busy: 1000, steal: 50 }, { busy: 1300, steal: 150 })).toBeCloseTo(100 / 400, 9);
    expect(stealShare({ busy: 1000, steal: 50 }, { busy: 1300, steal: 50 })).toBe(0);
    // Nothing ran: no share to give.
    expect(stealShare({ busy: 1000, steal: 50 }, { busy: 1000, steal: 50 })).toBeUndefined();
    expect(stealShare(undefined, { busy: 1, steal: 0 })).toBeUndefined();
  });

  test('this machine: the counters read and only go forward', () => {
    if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
    const before = hostCpu()!;
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 100_000);
    const after = hostCpu()!;
    expect(after.busy - before.busy).toBeGreaterThanOrEqual(5);
    expect(after.steal).toBeGreaterThanOrEqual(before.steal);
    const share = stealShare(before, after)!;
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThan(1);
  });
});

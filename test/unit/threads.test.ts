import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jitSecondsOf, settleJit, threadsOf } from '../../bench/lib/threads';

/** A /proc with one process, `pid`, whose threads are given by name and user/system ticks. */
function fakeProc(pid: number, threads: { tid: number; name: string; utime: number; stime: number }[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-proc-'));
  for (const thread of threads) {
    const dir = path.join(root, String(pid), 'task', String(thread.tid));
    fs.mkdirSync(dir, { recursive: true });
    // Fields after the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    fs.writeFileSync(path.join(dir, 'stat'), `${thread.tid} (${thread.name}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${thread.utime} ${thread.stime} 0 0 20 0 40 0\n`);
  }
  return root;
}

describe('threads of a process, from /proc', () => {
  const jvm = [
    { tid: 700, name: 'java', utime: 5, stime: 1 },
    { tid: 712, name: 'C2 CompilerThre', utime: 4000, stime: 120 },
    { tid: 713, name: 'C1 CompilerThre', utime: 300, stime: 20 },
    { tid: 714, name: 'neo4j.BoltWorke', utime: 900, stime: 400 },
    { tid: 715, name: 'odd) name (x', utime: 7, stime: 3 },
  ];

  test('reads each thread name, even with spaces and parentheses in it, and its CPU seconds', () => {
    const threads = threadsOf(700, fakeProc(700, jvm));
    const byName = new Map(threads.map((t) => [t.name, t.seconds]));
    expect(byName.get('C2 CompilerThre')).toBeCloseTo(41.2, 6);
    expect(byName.get('odd) name (x')).toBeCloseTo(0.1, 6);
    expect(threads.map((t) => t.tid).sort()).toEqual([700, 712, 713, 714, 715]);
  });

  test("sums the JIT compiler threads only; undefined for a process that is not there", () => {
    const root = fakeProc(700, jvm);
    expect(jitSecondsOf(700, root)).toBeCloseTo(44.4, 6);
    expect(jitSecondsOf(701, root)).toBeUndefined();
  });

  test("this process's main thread has used CPU, as /proc says", () => {
    if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
    const before = threadsOf(process.pid).find((t) => t.tid === process.pid)!.seconds;
    // Spin on this thread until the process has used 200 ms of CPU more (however long a busy machine makes that take).
    const start = process.cpuUsage();
    let spin = 0;
    while (process.cpuUsage(start).user < 200_000) spin += 1;
    const after = threadsOf(process.pid).find((t) => t.tid === process.pid)!.seconds;
    expect(spin).toBeGreaterThan(0);
    // /proc counts in 10 ms ticks, and other threads (the GC's) may have had a share of the 200 ms.
    expect(after - before).toBeGreaterThanOrEqual(0.15);
  });
});

describe('waiting for the JIT to go quiet', () => {
  /** A clock and a JIT that use, per 10 s pass, the given CPU seconds in turn. */
  function scripted(perPass: number[]) {
    let clock = 0;
    let jit = 0;
    let passes = 0;
    return {
      now: () => clock,
      readJitSeconds: () => jit,
      pass: async () => {
        jit += perPass[Math.min(passes, perPass.length - 1)]!;
        passes += 1;
        clock += 10;
      },
      passes: () => passes,
    };
  }

  test('loads until a pass where the compiler used at most 5 % of a core', async () => {
    const jvm = scripted([6, 3, 0.9, 0.4, 0.1]);
    const settled = await settleJit({ ...jvm, maxS: 300 });
    expect(settled).toMatchObject({ settled: true, seconds: 40 });
    expect(settled!.lastShare).toBeCloseTo(0.04, 9);
    expect(settled!.shares.map((share) => Number(share.toFixed(9)))).toEqual([0.6, 0.3, 0.09, 0.04]);
    expect(jvm.passes()).toBe(4);
  });

  test('gives up after maxS and says the JIT was still compiling', async () => {
    const jvm = scripted([6]);
    const settled = await settleJit({ ...jvm, maxS: 25 });
    expect(settled).toMatchObject({ settled: false, seconds: 30, lastShare: 0.6 });
    expect(jvm.passes()).toBe(3);
  });

  test('returns undefined after one pass where the threads cannot be read', async () => {
    let passes = 0;
    const settled = await settleJit({ readJitSeconds: () => undefined, pass: async () => void (passes += 1), maxS: 300 });
    expect(settled).toBeUndefined();
    expect(passes).toBe(1);
  });
});

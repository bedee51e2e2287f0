import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuShares, jvmThreadKind, readCpu } from '../../bench/lib/cpuAccounts';

/** A /proc with the machine's `stat` and, for each pid, a process `stat` and its threads' (name, user and system ticks). */
function fakeProc(idle: number, iowait: number, processes: Record<number, { utime: number; stime: number; threads?: [string, number, number][] }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-proc-'));
  fs.writeFileSync(path.join(root, 'stat'), `cpu  100 0 50 ${idle} ${iowait} 0 3 7 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n`);
  const statLine = (id: number, name: string, utime: number, stime: number) =>
    `${id} (${name}) S 1 ${id} ${id} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 40 0\n`;
  for (const [pid, { utime, stime, threads = [] }] of Object.entries(processes)) {
    fs.mkdirSync(path.join(root, pid, 'task'), { recursive: true });
    fs.writeFileSync(path.join(root, pid, 'stat'), statLine(Number(pid), 'proc', utime, stime));
    threads.forEach(([name, user, system], i) => {
      const dir = path.join(root, pid, 'task', String(Number(pid) + i));
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'stat'), statLine(Number(pid) + i, name, user, system));
    });
  }
  return root;
}

describe("bench: where the machine's CPU went, by process and by a JVM's kind of thread", () => {
  test("a HotSpot thread's kind, from its name as the kernel cuts it", () => {
    expect(jvmThreadKind('C2 CompilerThre')).toBe('jit');
    expect(jvmThreadKind('C1 CompilerThre')).toBe('jit');
    expect(jvmThreadKind('GC Thread#1')).toBe('gc');
    expect(jvmThreadKind('G1 Conc#0')).toBe('gc');
    expect(jvmThreadKind('G1 Main Marker')).toBe('gc');
    expect(jvmThreadKind('VM Thread')).toBe('vm');
    expect(jvmThreadKind('neo4j.BoltWorke')).toBe('work');
    expect(jvmThreadKind('java')).toBe('work');
  });

  test("reads a process's CPU seconds, a JVM's by kind of thread, and the machine's idle time", () => {
    const root = fakeProc(900, 100, {
      10: { utime: 250, stime: 50 },
      20: {
        utime: 0,
        stime: 0,
        threads: [
          ['java', 100, 0],
          ['C2 CompilerThre', 300, 20],
          ['GC Thread#0', 40, 10],
          ['G1 Conc#0', 30, 0],
          ['VM Thread', 5, 5],
          ['neo4j.BoltWorke', 700, 300],
        ],
      },
    });
    const reading = readCpu([{ name: 'server', pid: 10 }, { name: 'neo4j', pid: 20, kind: 'jvm' }], root)!;
    expect(reading.server).toBeCloseTo(3, 9);
    expect(reading['neo4j:jit']).toBeCloseTo(3.2, 9);
    expect(reading['neo4j:gc']).toBeCloseTo(0.8, 9);
    expect(reading['neo4j:vm']).toBeCloseTo(0.1, 9);
    expect(reading['neo4j:work']).toBeCloseTo(11, 9);
    // idle and iowait, all CPUs, in seconds (100 ticks a second)
    expect(reading['host:idle']).toBeCloseTo(10, 9);
    expect(Object.keys(reading).sort()).toEqual(['host:idle', 'neo4j:gc', 'neo4j:jit', 'neo4j:vm', 'neo4j:work', 'server']);
  });

  test("a Node process's main thread (its pid) apart from the rest of its threads", () => {
    const root = fakeProc(0, 0, {
      30: {
        utime: 999,
        stime: 999,
        threads: [
          ['node', 400, 100],
          ['V8 DefaultWorke', 60, 5],
          ['V8 DefaultWorke', 30, 5],
          ['libuv-worker', 0, 0],
        ],
      },
    });
    const reading = readCpu([{ name: 'graphql', pid: 30, kind: 'node' }], root)!;
    expect(reading['graphql:main']).toBeCloseTo(5, 9);
    expect(reading['graphql:helpers']).toBeCloseTo(1, 9);
    expect(reading.graphql).toBeUndefined();
  });

  test('undefined when a process has gone or there is no /proc', () => {
    const root = fakeProc(1, 1, { 10: { utime: 1, stime: 1 } });
    expect(readCpu([{ name: 'gone', pid: 11 }], root)).toBeUndefined();
    expect(readCpu([], path.join(os.tmpdir(), 'tg-no-such-proc'))).toBeUndefined();
  });

  test('shares of one core between two readings, to two decimals; null without both readings or time', () => {
    const before = { server: 10, 'neo4j:gc': 1, 'host:idle': 100 };
    const after = { server: 11.5, 'neo4j:gc': 1.333, 'host:idle': 100.2 };
    expect(cpuShares(before, after, 2)).toEqual({ server: 0.75, 'neo4j:gc': 0.17, 'host:idle': 0.1 });
    expect(cpuShares(undefined, after, 2)).toBeNull();
    expect(cpuShares(before, undefined, 2)).toBeNull();
    expect(cpuShares(before, after, 0)).toBeNull();
  });

  test('this machine: this process is read and its CPU only goes forward', () => {
    if (process.platform !== 'linux') throw new Error('the benchmark reads /proc: Linux only');
    const before = readCpu([{ name: 'me', pid: process.pid }])!;
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 100_000);
    const after = readCpu([{ name: 'me', pid: process.pid }])!;
    expect(after.me! - before.me!).toBeGreaterThanOrEqual(0.05);
    expect(after['host:idle']!).toBeGreaterThanOrEqual(before['host:idle']!);
  });
});

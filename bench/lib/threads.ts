import fs from 'node:fs';
import path from 'node:path';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
export const TICKS_PER_S = 100;

/**
 * The name and CPU seconds (user + system) in the text of a `/proc/PID/stat` or `/proc/PID/task/TID/stat` file. A name may
 * hold spaces and parentheses ("C2 CompilerThre"), so the fields are read after its last `)`.
 */
export function parseStat(stat: string): { name: string; seconds: number } {
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, close), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S };
}

/** One thread of a process, from `/proc/PID/task/TID/stat`: its name (15 characters at most) and CPU seconds so far. */
export interface ThreadCpu {
  tid: number;
  name: string;
  seconds: number;
}

/**
 * The threads of process `pid` and the CPU time (user + system) each has used, read from /proc (Linux).
 * A thread's name may hold spaces and parentheses ("C2 CompilerThre"), so the fields are read after its last `)`.
 *
 *     threadsOf(process.pid).filter((t) => t.tid === process.pid)[0].seconds   // the main thread's CPU seconds
 */
export function threadsOf(pid: number, procRoot = '/proc'): ThreadCpu[] {
  const taskDir = path.join(procRoot, String(pid), 'task');
  const threads: ThreadCpu[] = [];
  for (const tid of fs.readdirSync(taskDir)) {
    let stat: string;
    try {
      stat = fs.readFileSync(path.join(taskDir, tid, 'stat'), 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    threads.push({ tid: Number(tid), ...parseStat(stat) });
  }
  return threads;
}

/** HotSpot's JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", cut to 15 characters by the kernel). */
const JIT_THREAD = /^C[12] CompilerThre/;

/** CPU seconds the JIT compiler threads of a JVM (Neo4j) have used so far, or undefined where /proc cannot say. */
export function jitSecondsOf(pid: number, procRoot = '/proc'): number | undefined {
  try {
    return threadsOf(pid, procRoot)
      .filter((thread) => JIT_THREAD.test(thread.name))
      .reduce((sum, thread) => sum + thread.seconds, 0);
  } catch {
    return undefined;
  }
}

export interface JitSettling {
  /** Whether the JIT went quiet before `maxS`. */
  settled: boolean;
  /** Seconds spent waiting for it (under load). */
  seconds: number;
  /** The JIT threads' CPU in the last pass, as a share of one core. */
  lastShare: number;
  /** Each pass's share, in order. */
  shares: number[];
}

/**
 * Loads Neo4j (`pass`, a round of the benchmark's queries) until its JIT compiler threads use at most
 * `quietShare` of one core over a whole pass, or until `maxS` have gone by. For minutes after it starts,
 * Neo4j's JVM compiles its hot code on two threads: on this machine about 47 s of CPU in the first 100 s,
 * up to 80 % of one core of its two. Measuring then gives the servers what the compiler leaves. Returns
 * undefined where the JIT threads cannot be read (not Linux): the caller's fixed warm-up is all there is then.
 *
 *     const settling = await settleJit({ readJitSeconds: () => jitSecondsOf(neo.pid), pass: () => loadMix(1), maxS: 180 });
 */
export async function settleJit(options: {
  readJitSeconds: () => number | undefined;
  pass: () => Promise<void>;
  maxS: number;
  quietShare?: number;
  now?: () => number;
}): Promise<JitSettling | undefined> {
  const { readJitSeconds, pass, maxS, quietShare = 0.05, now = () => performance.now() / 1000 } = options;
  const started = now();
  const shares: number[] = [];
  for (;;) {
    const before = readJitSeconds();
    const passStarted = now();
    await pass();
    const after = readJitSeconds();
    if (before === undefined || after === undefined) return undefined;
    const share = (after - before) / Math.max(now() - passStarted, 1e-3);
    shares.push(share);
    const seconds = now() - started;
    if (share <= quietShare || seconds >= maxS) return { settled: share <= quietShare, seconds, lastShare: share, shares };
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { parseStat, threadsOf, TICKS_PER_S } from './threads';

/** CPU seconds used so far, by account ("graphql", "neo4j:gc", "host:idle" …). */
export type CpuReading = Record<string, number>;

/**
 * A process whose CPU the benchmark accounts for in each turn: a JVM's threads split by what they do
 * ({@link jvmThreadKind}), a Node process's into its main thread (JavaScript, and a collection's pauses) and the rest (V8's
 * helpers, which mark and sweep the heap beside it and compile, and libuv's), another process's as one.
 */
export interface AccountedProcess {
  name: string;
  pid: number;
  kind?: 'jvm' | 'node';
}

/**
 * What a HotSpot thread does, by its name (cut to 15 characters by the kernel): `jit` for the compiler threads, `gc` for
 * the collector's ("GC Thread#0", "G1 Conc#0", "G1 Refine#0", "G1 Main Marker", "G1 Service"), `vm` for the VM thread,
 * which runs every stop-the-world operation, and `work` for the rest (Bolt, Cypher, the page cache).
 */
export function jvmThreadKind(name: string): 'jit' | 'gc' | 'vm' | 'work' {
  if (/^C[12] CompilerThre/.test(name)) return 'jit';
  if (/^(GC Thread|G1 )/.test(name)) return 'gc';
  if (name === 'VM Thread') return 'vm';
  return 'work';
}

/** CPU seconds of a whole process (its ended threads included), from /proc/PID/stat. */
function processSeconds(pid: number, procRoot: string): number {
  return parseStat(fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8')).seconds;
}

/** Idle seconds of the whole machine (idle and iowait, all CPUs), from /proc/stat. */
function hostIdleSeconds(procRoot: string): number {
  const fields = /^cpu\s+(.*)$/m.exec(fs.readFileSync(path.join(procRoot, 'stat'), 'utf8'))?.[1]?.trim().split(/\s+/).map(Number);
  const idle = (fields?.[3] ?? NaN) + (fields?.[4] ?? NaN);
  if (!Number.isFinite(idle)) throw new Error('/proc/stat has no idle time');
  return idle / TICKS_PER_S;
}

/**
 * The CPU each process has used so far, split as {@link AccountedProcess} says (`neo4j:jit`, `neo4j:gc`, `neo4j:vm`,
 * `neo4j:work`; `graphql:main`, `graphql:helpers`; a split process's ended threads are not counted), with the machine's
 * idle time as `host:idle`; undefined where /proc cannot say (not Linux, or a process has gone).
 *
 *     const before = readCpu(processes);  ...  cpuShares(before, readCpu(processes), seconds)
 */
export function readCpu(processes: readonly AccountedProcess[], procRoot = '/proc'): CpuReading | undefined {
  try {
    const reading: CpuReading = { 'host:idle': hostIdleSeconds(procRoot) };
    for (const { name, pid, kind } of processes) {
      if (kind === 'jvm') {
        for (const part of ['jit', 'gc', 'vm', 'work']) reading[`${name}:${part}`] = 0;
        for (const thread of threadsOf(pid, procRoot)) reading[`${name}:${jvmThreadKind(thread.name)}`]! += thread.seconds;
      } else if (kind === 'node') {
        const threads = threadsOf(pid, procRoot);
        const main = threads.find((thread) => thread.tid === pid)?.seconds;
        if (main === undefined) return undefined;
        reading[`${name}:main`] = main;
        reading[`${name}:helpers`] = threads.reduce((sum, thread) => sum + thread.seconds, 0) - main;
      } else {
        reading[name] = processSeconds(pid, procRoot);
      }
    }
    return reading;
  } catch {
    return undefined;
  }
}

/**
 * What each account used between two readings, as a share of one core over `seconds` of wall time (2 on a fully busy
 * two-core machine, summed over the accounts with `host:idle`), to two decimals; null when a reading is missing.
 */
export function cpuShares(before: CpuReading | undefined, after: CpuReading | undefined, seconds: number): Record<string, number> | null {
  if (!before || !after || !(seconds > 0)) return null;
  const shares: Record<string, number> = {};
  for (const [name, used] of Object.entries(after)) {
    const start = before[name];
    if (start !== undefined) shares[name] = Math.round(((used - start) / seconds) * 100) / 100;
  }
  return shares;
}

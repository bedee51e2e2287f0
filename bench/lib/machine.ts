import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { PROJECT_ROOT } from '../../src/projectRoot';

/** Where the numbers come from: they only compare within one run on one machine. */
export interface MachineInfo {
  os: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  neo4j: string;
  gitCommit: string;
  /** True when the working tree had uncommitted changes. */
  gitDirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The code a run measures: the commit, and whether the tree had uncommitted changes. Taken when the targets are built. */
export function codeVersion(): Pick<MachineInfo, 'gitCommit' | 'gitDirty'> {
  return { gitCommit: git(['rev-parse', 'HEAD']), gitDirty: git(['status', '--porcelain']) !== '' };
}

/**
 * The machine, runtime and code version of this run; `neo4j` is the server's reported version. `code` is
 * {@link codeVersion} as it was when the run built what it measures: the tree may change while it runs.
 */
export function machineInfo(neo4jVersion: string, code: Pick<MachineInfo, 'gitCommit' | 'gitDirty'> = codeVersion()): MachineInfo {
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    neo4j: neo4jVersion,
    ...code,
  };
}

/** Resident and peak resident memory of a process, in MiB, from /proc (Linux); null elsewhere. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

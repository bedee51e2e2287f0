import fs from 'node:fs';
import path from 'node:path';

/** The whole machine's CPU time so far, in clock ticks, from the first line of /proc/stat (Linux). */
export interface HostCpu {
  /** Time the CPUs ran something: user, nice, system, irq and softirq (a guest's time is in user already). */
  busy: number;
  /** Time a virtual CPU had something to run and the hypervisor ran another guest instead. */
  steal: number;
}

/**
 * Reads the machine's CPU times, or undefined where /proc/stat cannot say (not Linux).
 *
 *     const before = hostCpu();  ...  stealShare(before, hostCpu())   // 0.3: the hypervisor took 30 % of what we wanted
 */
export function hostCpu(procRoot = '/proc'): HostCpu | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(procRoot, 'stat'), 'utf8');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user, nice, system, , , irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  return { busy: user + nice + system + irq + softirq, steal };
}

/**
 * The share of the CPU time the machine wanted between two readings that its hypervisor gave to other guests:
 * steal ÷ (busy + steal). On a shared virtual machine this is what makes an hour "slow": with a third of the time
 * stolen, a request that needs the CPU for a millisecond waits for it in slices the host decides. Undefined when
 * either reading is missing or nothing ran in between.
 */
export function stealShare(before: HostCpu | undefined, after: HostCpu | undefined): number | undefined {
  if (!before || !after) return undefined;
  const steal = after.steal - before.steal;
  const wanted = after.busy - before.busy + steal;
  return wanted > 0 ? steal / wanted : undefined;
}

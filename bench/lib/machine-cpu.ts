import { readFileSync } from 'node:fs';

/** /proc reports CPU in USER_HZ ticks, 100 a second on Linux whatever the kernel's HZ. */
export const ticksPerSecond = 100;

/**
 * Busy ticks of the whole machine since boot, from /proc/stat's first line: everything but idle
 * and iowait (waiting is not work), and without steal (time the hypervisor gave to other guests).
 */
export function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // Fields: user nice system idle iowait irq softirq steal …
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq;
}

/** utime + stime of one process (all its threads), in ticks; 0 once it is gone. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

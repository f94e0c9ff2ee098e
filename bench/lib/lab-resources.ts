import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** CPU seconds and peak memory of one group of processes (a lab process with its children). */
export interface GroupUsage {
  cpuSeconds: number;
  /** The highest sum of PSS seen in one sample, MiB. */
  peakMiB: number;
}

export interface LabUsage {
  /** By lab process (postgres with its backends, training with the run's k6 apart as `k6`…). */
  groups: Record<string, GroupUsage>;
  cpuSeconds: number;
  /** The highest total of every lab process's PSS seen in one sample, MiB. */
  peakMiB: number;
  samples: number;
}

/** /proc reports CPU in USER_HZ ticks, 100 a second on Linux whatever the kernel's HZ. */
const ticksPerSecond = 100;

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  /** Ticks since boot when it started: with the pid, names one process even if the pid is reused. */
  startTicks: number;
  cpuTicks: number;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return {
      pid,
      comm: stat.slice(stat.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      startTicks: Number(fields[19]),
    };
  } catch {
    return undefined; // gone since the directory was listed
  }
}

/** The `Pss:` line of /proc/<pid>/smaps_rollup, in MiB (0 when absent): shared pages split among their users. */
export function parsePssMiB(smapsRollup: string): number {
  const kb = /^Pss:\s+(\d+) kB/m.exec(smapsRollup)?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Proportional set size, MiB: shared pages (Postgres' shared buffers) split among their users, so sums are honest. */
function pssMiB(pid: number): number {
  try {
    return parsePssMiB(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return 0;
  }
}

function allProcs(): Proc[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readProc(Number(name)) ?? []);
}

/** lab.json: the supervisor's pid and each lab process's current pid (rewritten on every restart). */
function labProcesses(stateDir: string): { supervisor: number; processes: Record<string, number> } | undefined {
  try {
    const state = JSON.parse(readFileSync(path.join(stateDir, 'lab.json'), 'utf8')) as { pid: number; processes: Record<string, number> };
    return { supervisor: state.pid, processes: state.processes };
  } catch {
    return undefined;
  }
}

/**
 * Every process of a running lab, from its supervisor down, each with its group: the lab process
 * it descends from (postgres with its backends, `blue-api`…; a k6 a lab process started is `k6`).
 * Undefined when no lab runs in `stateDir`.
 */
function labProcessTree(stateDir: string): { proc: Proc; group: string }[] | undefined {
  const lab = labProcesses(stateDir);
  if (!lab) return undefined;
  const procs = allProcs();
  const supervisor = procs.find((p) => p.pid === lab.supervisor);
  if (!supervisor) return undefined;
  const children = new Map<number, Proc[]>();
  for (const proc of procs) {
    const siblings = children.get(proc.ppid);
    if (siblings) siblings.push(proc);
    else children.set(proc.ppid, [proc]);
  }
  const topName = new Map(Object.entries(lab.processes).map(([name, pid]) => [pid, name]));
  const tree: { proc: Proc; group: string }[] = [];
  const visit = (proc: Proc, group: string) => {
    const own = proc.comm === 'k6' ? 'k6' : (topName.get(proc.pid) ?? group);
    tree.push({ proc, group: own });
    for (const child of children.get(proc.pid) ?? []) visit(child, own);
  };
  visit(supervisor, 'supervisor');
  return tree;
}

/** PSS now of each lab process with its descendants, MiB, by group (as in labProcessTree); {} when no lab runs. */
export function labMemoryMiB(stateDir: string): Record<string, number> {
  const memory: Record<string, number> = {};
  for (const { proc, group } of labProcessTree(stateDir) ?? []) memory[group] = (memory[group] ?? 0) + pssMiB(proc.pid);
  return memory;
}

/**
 * Samples a native lab's processes from /proc every `intervalMs` until stop(): CPU per lab process
 * (with its descendants; k6 counted apart), and the peak of their summed PSS. Cheap enough to run
 * beside a lab (a few hundred small files a sample). A process that exits between samples loses
 * its CPU since the last sample, and one born and gone between two is missed: the per-process
 * figures are a floor; the machine's CPU (/proc/stat) is the whole truth.
 */
export function sampleLabResources(stateDir: string, intervalMs = 2_000) {
  /** CPU ticks per process at its first and latest sample, keyed by pid and start time. */
  const seen = new Map<string, { group: string; first: number; last: number }>();
  const peaks: Record<string, number> = {};
  let peakTotal = 0;
  let samples = 0;
  let firstSample = true;

  const sample = () => {
    const tree = labProcessTree(stateDir);
    if (!tree) return;
    const memory: Record<string, number> = {};
    for (const { proc, group } of tree) {
      const key = `${proc.pid}:${proc.startTicks}`;
      const known = seen.get(key);
      // Already running when sampling began: only what it spends from now counts; born later: all of it.
      if (known) known.last = proc.cpuTicks;
      else seen.set(key, { group, first: firstSample ? proc.cpuTicks : 0, last: proc.cpuTicks });
      memory[group] = (memory[group] ?? 0) + pssMiB(proc.pid);
    }
    firstSample = false;
    samples++;
    let total = 0;
    for (const [group, mib] of Object.entries(memory)) {
      peaks[group] = Math.max(peaks[group] ?? 0, mib);
      total += mib;
    }
    peakTotal = Math.max(peakTotal, total);
  };

  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): LabUsage {
      clearInterval(timer);
      sample();
      const groups: Record<string, GroupUsage> = {};
      for (const { group, first, last } of seen.values()) {
        groups[group] ??= { cpuSeconds: 0, peakMiB: peaks[group] ?? 0 };
        groups[group].cpuSeconds += (last - first) / ticksPerSecond;
      }
      const cpuSeconds = Object.values(groups).reduce((sum, g) => sum + g.cpuSeconds, 0);
      return { groups, cpuSeconds, peakMiB: peakTotal, samples };
    },
  };
}

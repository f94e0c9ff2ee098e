/**
 * The pure parts of bench:class (bench/class-bench.ts): its options, which process counts as
 * whose, the figures of a step, the rule that says where a class stops holding, and the table.
 * Nothing here touches a lab, so it is unit-tested (class-figures.test.ts).
 */
import { maxTeams } from '@firedrill/lab-infra';
import { fmt } from './stats.ts';

/** Where a class stops holding (issue 12's benchmark): any team's checkout p95 or errors over these. */
export const holdLimits = {
  p95CheckoutMs: 500,
  errorsPct: 1,
  /** Orders achieved below this share of those offered: the shop (or k6) could not keep up. */
  achievedShare: 0.95,
} as const;

/** The issue's targets, printed beside the figures (never asserted): 250 MB per added team is 238 MiB. */
export const classTargets = { addedTeamMB: 250, addedTeamMiB: (250 * 1e6) / 2 ** 20, teamsAtLoad: 6 } as const;

/** A target against the run's figure: met, missed, or not measured by the counts this run brought up. */
export function targetVerdicts(summary: ReturnType<typeof classSummary>, largestRun: number): { addedTeam: string; teams: string } {
  const addedTeam =
    summary.addedTeamMiB === undefined
      ? 'not measured (one step only: run two team counts)'
      : summary.addedTeamMiB <= classTargets.addedTeamMiB
        ? 'met'
        : 'MISSED';
  const teams =
    summary.teamsHeld >= classTargets.teamsAtLoad
      ? 'met'
      : summary.brokeAt !== undefined
        ? 'MISSED'
        : `not measured (the largest class run was ${largestRun}; it held)`;
  return { addedTeam, teams };
}

export interface ClassOptions {
  /** Team counts, one lab each, in order; the run stops at the first that does not hold. */
  teamCounts: number[];
  /** Orders per second offered to each team (shop journeys that all buy). */
  ratePerTeam: number;
  /** Measured load per step. */
  seconds: number;
  /** Load before the measured one (the services compile their hot paths), not measured. */
  warmupSeconds: number;
  /** The idle lab's CPU window; its memory is read at its end. */
  idleSeconds: number;
  /** Wait after `lab up` before the idle window (start-up work settles). */
  settleSeconds: number;
  /** LAB_PORT_BASE of every step; undefined: a free block found per step. */
  portBase?: number;
}

export const classUsage = `npm run bench:class -- [--teams 1,2,4,6 | --max N] [--seconds N] [--warmup-seconds N] [--idle-seconds N] [--settle-seconds N] [--rate N] [--port-base N]
  --teams          team counts to bring up, one lab each (default: 1, 2, 4, 6, 8 up to --max)
  --max            the largest class when --teams is not given (default 8, at most ${maxTeams})
  --seconds        measured load per step (default 60)
  --warmup-seconds load before it, not measured (default 15)
  --idle-seconds   the idle lab's CPU window; memory is read at its end (default 20)
  --settle-seconds wait after lab up before the idle window (default 15)
  --rate           orders per second per team (default 15: the scenarios' load profile of issue 12)
  --port-base      LAB_PORT_BASE (default: a free block of ports found for each step)`;

/** 1, 2, then every second count (4, 6, 8 …) up to `max`, and `max` itself. */
export function teamCountsUpTo(max: number): number[] {
  const counts = [1, 2, 4, 6, 8].filter((n) => n <= max);
  for (let n = 10; n <= max; n += 2) counts.push(n);
  if (counts.at(-1) !== max) counts.push(max);
  return counts;
}

/** Reads the command line; throws a sentence naming the bad option (the bench prints it with the usage). */
export function parseClassArgs(argv: readonly string[]): ClassOptions {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const known = ['--teams', '--max', '--seconds', '--warmup-seconds', '--idle-seconds', '--settle-seconds', '--rate', '--port-base'];
    if (!known.includes(name)) throw new Error(`unknown option ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${name} needs a value`);
    given.set(name, value);
  }
  const number = (name: string, fallback: number, min: number, max: number, whole = true): number => {
    const text = given.get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      throw new Error(`${name} ${text}: must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}`);
    }
    return value;
  };
  if (given.has('--teams') && given.has('--max')) throw new Error('--teams and --max: give one or the other');
  const teamsText = given.get('--teams');
  const teamCounts = teamsText === undefined ? teamCountsUpTo(number('--max', 8, 1, maxTeams)) : parseTeamCounts(teamsText);
  const portBase = given.has('--port-base') ? number('--port-base', 0, 1024, 65_535 - 100 * (Math.max(...teamCounts) + 1)) : undefined;
  return {
    teamCounts,
    ratePerTeam: number('--rate', 15, 0.1, 500, false),
    seconds: number('--seconds', 60, 10, 3600),
    warmupSeconds: number('--warmup-seconds', 15, 0, 600),
    idleSeconds: number('--idle-seconds', 20, 2, 600),
    settleSeconds: number('--settle-seconds', 15, 0, 600),
    ...(portBase === undefined ? {} : { portBase }),
  };
}

function parseTeamCounts(text: string): number[] {
  const counts = text.split(',').map((part) => Number(part.trim()));
  for (const n of counts) {
    if (!Number.isInteger(n) || n < 1 || n > maxTeams) throw new Error(`--teams ${text}: each count is a whole number from 1 to ${maxTeams}`);
  }
  if (counts.some((n, i) => i > 0 && n <= counts[i - 1]!)) throw new Error(`--teams ${text}: counts go up (1,2,4,6)`);
  return counts;
}

/** The team a lab process belongs to: `blue-api`, `blue-worker-2`, `blue-prom-label-proxy` are blue's. */
export function teamOfProcess(name: string, teams: readonly string[]): string | undefined {
  return teams.find((team) => name.startsWith(`${team}-`));
}

/** What a process is without its team: `blue-worker-2` → `worker-2`. */
export function processKind(name: string, teams: readonly string[]): string {
  const team = teamOfProcess(name, teams);
  return team ? name.slice(team.length + 1) : name;
}

export type CpuShare = 'shop' | 'stores' | 'planes';

/** The stores and the proxy in front of them: the shared Postgres and Toxiproxy, and each team's own Redis (`blue-redis`). */
const storeProcesses = new Set(['postgres', 'redis', 'toxiproxy']);

/**
 * shop: a team's api, payments and worker (with its replicas); stores: Postgres (with its
 * backends), Toxiproxy, the Redis servers (each team's own, counted in its team's memory too);
 * planes: the rest of the lab (observability, chaos, training, the console, sshd, the supervisor,
 * each team's Prometheus gate).
 */
export function cpuShare(name: string, teams: readonly string[]): CpuShare {
  if (storeProcesses.has(processKind(name, teams))) return 'stores';
  const team = teamOfProcess(name, teams);
  if (team && /^(api|payments|worker)(-\d+)?$/.test(processKind(name, teams))) return 'shop';
  return 'planes';
}

/** Sums values by a key derived from each name. */
export function sumBy(values: Record<string, number>, key: (name: string) => string | undefined): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) {
    const k = key(name);
    if (k !== undefined) sums[k] = (sums[k] ?? 0) + value;
  }
  return sums;
}

export interface StepMemory {
  /** PSS of every lab process (with descendants: Postgres' backends), MiB. */
  totalMiB: number;
  /** Each team's own processes (shop, Prometheus gate), MiB. */
  perTeamMiB: Record<string, number>;
  /** Everything no team owns: stores and planes, MiB. */
  sharedMiB: number;
  /** (total − previous step's total) ÷ teams added; undefined for the first step. */
  addedTeamMiB?: number;
  byProcess: Record<string, number>;
}

export function stepMemory(byProcess: Record<string, number>, teams: readonly string[], previous?: { teams: number; totalMiB: number }): StepMemory {
  const totalMiB = Object.values(byProcess).reduce((a, b) => a + b, 0);
  const perTeamMiB = Object.fromEntries(teams.map((t) => [t, 0]));
  Object.assign(
    perTeamMiB,
    sumBy(byProcess, (name) => teamOfProcess(name, teams)),
  );
  const teamsMiB = Object.values(perTeamMiB).reduce((a, b) => a + b, 0);
  const added = previous && teams.length > previous.teams ? (totalMiB - previous.totalMiB) / (teams.length - previous.teams) : undefined;
  return { totalMiB, perTeamMiB, sharedMiB: totalMiB - teamsMiB, ...(added === undefined ? {} : { addedTeamMiB: added }), byProcess };
}

/** One team's load, from its k6 summary and its shop's database. */
export interface TeamLoad {
  /** Orders its shop took in the measured window (every row of shop.orders, declined ones too). */
  orders: number;
  /** k6's p95 of POST /api/orders (the journey's `step:checkout`), ms; undefined when k6 wrote no summary. */
  p95CheckoutMs?: number;
  /** k6's failed requests (status other than expected; declines are expected) of all its requests, %. */
  errorsPct?: number;
  /** Journeys k6 could not start (out of VUs: the shop too slow to free them). */
  droppedIterations: number;
}

export interface Verdict {
  holds: boolean;
  reasons: string[];
}

/** The stop rule: every team's checkout p95 ≤ 500 ms, errors ≤ 1 %, and ≥ 95 % of the offered orders taken. */
export function stepVerdict(teams: Record<string, TeamLoad>, offeredPerTeam: number, windowS: number): Verdict {
  const reasons: string[] = [];
  for (const [team, load] of Object.entries(teams)) {
    if (load.p95CheckoutMs === undefined || load.errorsPct === undefined) {
      reasons.push(`${team}: k6 wrote no summary`);
      continue;
    }
    if (load.p95CheckoutMs > holdLimits.p95CheckoutMs)
      reasons.push(`${team}: checkout p95 ${load.p95CheckoutMs.toFixed(0)} ms > ${holdLimits.p95CheckoutMs} ms`);
    if (load.errorsPct > holdLimits.errorsPct) reasons.push(`${team}: errors ${load.errorsPct.toFixed(2)} % > ${holdLimits.errorsPct} %`);
    const achieved = load.orders / windowS;
    if (achieved < holdLimits.achievedShare * offeredPerTeam) {
      reasons.push(
        `${team}: ${achieved.toFixed(1)} orders/s of ${offeredPerTeam} offered${load.droppedIterations ? ` (${load.droppedIterations} journeys dropped by k6)` : ''}`,
      );
    }
  }
  return { holds: reasons.length === 0, reasons };
}

/** CPU of the measured window, ms per order, for the whole machine and by who spent it. */
export interface CpuPerOrder {
  /** /proc/stat busy time ÷ orders: everything on the machine. */
  machine: number;
  shop: number;
  stores: number;
  planes: number;
  k6: number;
  /** machine − (lab + k6): this bench, and anyone else's work on a shared machine. */
  other: number;
}

export function cpuPerOrder(machineS: number, labByProcessS: Record<string, number>, k6S: number, orders: number, teams: readonly string[]): CpuPerOrder {
  const ms = (seconds: number) => (1000 * seconds) / Math.max(1, orders);
  const shares = sumBy(labByProcessS, (name) => cpuShare(name, teams));
  const labS = Object.values(labByProcessS).reduce((a, b) => a + b, 0);
  return {
    machine: ms(machineS),
    shop: ms(shares.shop ?? 0),
    stores: ms(shares.stores ?? 0),
    planes: ms(shares.planes ?? 0),
    k6: ms(k6S),
    other: ms(machineS - labS - k6S),
  };
}

/** What a step of the bench found; also its JSON. */
export interface ClassStep {
  teams: string[];
  portBase: number;
  /** `lab up --detach --teams N` to every process healthy, s. */
  upSeconds: number;
  memory: StepMemory;
  idle: { wallS: number; labCpuMsPerS: number; machineCpuMsPerS: number; byProcessMsPerS: Record<string, number> };
  load: {
    offeredPerTeam: number;
    wallS: number;
    orders: number;
    ordersPerS: number;
    cpuMsPerOrder: CpuPerOrder;
    /** ms per order by process kind (api, payments, worker summed over teams; postgres …). */
    byKindMsPerOrder: Record<string, number>;
    teams: Record<string, TeamLoad>;
  };
  verdict: Verdict;
}

const worst = (values: (number | undefined)[]) => (values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[])));
const cell = (value: number | undefined, digits: number, width: number) => (value === undefined ? '—'.padStart(width) : fmt(value, digits, width));

/** The plain table: a row per step. */
export function classTable(steps: readonly ClassStep[]): string[] {
  const header =
    'teams  lab PSS MiB  per team MiB  Δ per added team MiB  idle CPU ms/s  orders/s  CPU ms/order: machine    shop  stores  planes      k6   other  checkout p95 ms  errors %  holds';
  const rows = steps.map((s) => {
    const teamMiB = Object.values(s.memory.perTeamMiB);
    const perTeam = teamMiB.reduce((a, b) => a + b, 0) / Math.max(1, teamMiB.length);
    const loads = Object.values(s.load.teams);
    const c = s.load.cpuMsPerOrder;
    return [
      String(s.teams.length).padStart(5),
      cell(s.memory.totalMiB, 0, 11),
      cell(perTeam, 0, 12),
      cell(s.memory.addedTeamMiB, 0, 20),
      cell(s.idle.labCpuMsPerS, 0, 13),
      cell(s.load.ordersPerS, 1, 8),
      cell(c.machine, 1, 22),
      cell(c.shop, 1, 7),
      cell(c.stores, 1, 7),
      cell(c.planes, 1, 7),
      cell(c.k6, 1, 7),
      cell(c.other, 1, 7),
      cell(worst(loads.map((l) => l.p95CheckoutMs)), 0, 16),
      cell(worst(loads.map((l) => l.errorsPct)), 2, 8),
      ` ${s.verdict.holds ? 'yes' : 'NO'}`,
    ].join('  ');
  });
  return [header, ...rows];
}

/** The run's answer to the targets: the largest class that held, and the memory an added team cost. */
export function classSummary(steps: readonly ClassStep[]): { teamsHeld: number; brokeAt?: number; addedTeamMiB?: number } {
  const held = steps.filter((s) => s.verdict.holds).map((s) => s.teams.length);
  const broke = steps.find((s) => !s.verdict.holds);
  // The cost of a team from the whole lab's growth over the run (first to last step), steadier than one step's delta.
  const first = steps[0];
  const last = steps.at(-1);
  const addedTeamMiB =
    first && last && last.teams.length > first.teams.length
      ? (last.memory.totalMiB - first.memory.totalMiB) / (last.teams.length - first.teams.length)
      : undefined;
  return {
    teamsHeld: held.length ? Math.max(...held) : 0,
    ...(broke ? { brokeAt: broke.teams.length } : {}),
    ...(addedTeamMiB === undefined ? {} : { addedTeamMiB }),
  };
}

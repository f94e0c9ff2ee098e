/**
 * npm run bench:class — how many teams one machine holds (issue 12's benchmark). For each team
 * count (1, 2, 4, 6, 8 … or --teams), a class lab of the bench's own (`lab up --detach --teams
 * N`, own state dir and ports, torn down after the step and on any failure or Ctrl-C), and:
 * - idle: its memory as PSS (/proc/<pid>/smaps_rollup, every process of the lab with its
 *   children, so Postgres' backends and shared pages count once): the whole lab, each team's own
 *   processes, the shared rest, and the whole lab's growth per team added since the last step;
 *   and its idle CPU;
 * - under load: every team's shop gets the scenarios' shop journey (scenarios/load, k6 through
 *   training's startLoad, one k6 per team as a class's runs do) at --rate orders/s (each journey
 *   buys); after a warm-up, a measured window gives CPU per order for the whole machine
 *   (/proc/stat busy time ÷ orders taken by every team's shop) split into the shops' processes,
 *   the shared stores (Postgres, Redis, Toxiproxy), the planes (the rest of the lab) and k6, and
 *   per process kind; k6's p95 of the checkout (POST /api/orders, `step:checkout`) and its
 *   failed requests, per team.
 * A step holds when every team's checkout p95 ≤ 500 ms, errors ≤ 1 % and ≥ 95 % of the offered
 * orders were taken; the run stops at the first step that does not. Prints a table and writes
 * test-output/bench/class.json (after every step, so an interrupted run keeps what it measured).
 * Figures only: a missed target is printed, not thrown.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LoadRun, startLoad } from '@firedrill/training';
import pg from 'pg';
import {
  type ClassOptions,
  type ClassStep,
  classSummary,
  classTable,
  classTargets,
  classUsage,
  cpuPerOrder,
  holdLimits,
  parseClassArgs,
  processKind,
  stepMemory,
  stepVerdict,
  sumBy,
  type TeamLoad,
  targetVerdicts,
} from './lib/class-figures.ts';
import { type ClassLab, tearDownClassLab, tearDownOnExit, trackK6, upClassLab } from './lib/class-lab.ts';
import { labMemoryMiB, sampleLabResources } from './lib/lab-resources.ts';
import { machineBusyTicks, processTicks, ticksPerSecond } from './lib/machine-cpu.ts';

const repo = path.resolve(import.meta.dirname, '..');
const stateDir = path.join(repo, '.lab-bench-class');
const jsonFile = path.join(repo, 'test-output', 'bench', 'class.json');
/** k6 allocates its VUs before the first journey: the measured window starts this long after it. */
const k6StartS = 5;
/** The measured k6 run outlasts the window by this much, so no team's load ends inside it. */
const k6TailS = 5;

const log = (line: string) => console.log(`  ${line}`);

/** One team's shop journey at `rate` orders/s: every visit buys, pauses at a fifth (as bench:checkout-cpu). */
function loadTeam(lab: ClassLab, team: string, rate: number, seconds: number, phase: string): LoadRun {
  const run = startLoad({
    script: 'shop-journey',
    profile: 'steady',
    rate,
    duration: `${seconds}s`,
    baseUrl: lab.apiUrl(team),
    testId: `bench-class-${team}-${phase}`,
    logFile: path.join(lab.stateDir, 'bench', `${team}-${phase}.log`),
    scriptEnv: { CHECKOUT_SHARE: '1', THINK_SCALE: '0.2' },
  });
  trackK6(run);
  return run;
}

/** CPU of a window: the machine's busy time, each lab process's (with children), the k6s'; seconds. */
function cpuWindow(lab: ClassLab, k6Pids: number[], intervalMs: number) {
  const started = performance.now();
  const machine0 = machineBusyTicks();
  const k60 = k6Pids.map(processTicks);
  const sampler = sampleLabResources(lab.stateDir, intervalMs);
  return () => {
    // k6's ticks first: they must be read while it still runs (0 once it is gone).
    const k6S = k6Pids.reduce((sum, pid, i) => sum + (processTicks(pid) - k60[i]!), 0) / ticksPerSecond;
    const usage = sampler.stop();
    const labByProcessS = Object.fromEntries(Object.entries(usage.groups).map(([name, g]) => [name, g.cpuSeconds]));
    return { wallS: (performance.now() - started) / 1000, machineS: (machineBusyTicks() - machine0) / ticksPerSecond, labByProcessS, k6S };
  };
}

async function countOrders(dbs: Map<string, pg.Client>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [team, db] of dbs) {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM shop.orders');
    counts.set(team, Number(rows[0]!.n));
  }
  return counts;
}

/** Journeys k6 could not start for want of a free VU, from its summary export (0 when none or no summary). */
function droppedIterations(lab: ClassLab, team: string): number {
  try {
    const summary = JSON.parse(readFileSync(path.join(lab.stateDir, 'bench', `${team}-measured.summary.json`), 'utf8'));
    return Number(summary.metrics?.dropped_iterations?.count ?? 0);
  } catch {
    return 0;
  }
}

async function runStep(options: ClassOptions, teamCount: number, previous: ClassStep | undefined): Promise<ClassStep> {
  console.log(`\n${teamCount} team${teamCount === 1 ? '' : 's'}: lab up --detach --teams ${teamCount}`);
  const lab = await upClassLab(stateDir, teamCount, options.portBase);
  try {
    log(
      `up in ${lab.upSeconds.toFixed(0)} s (teams ${lab.teams.join(', ')}; ports ${lab.portBase}–${lab.portBase + 100 * teamCount + 99}); settling ${options.settleSeconds} s`,
    );
    await sleep(options.settleSeconds * 1000);

    const idleWindow = cpuWindow(lab, [], 1_000);
    await sleep(options.idleSeconds * 1000);
    const idleCpu = idleWindow();
    const memory = stepMemory(labMemoryMiB(lab.stateDir), lab.teams, previous && { teams: previous.teams.length, totalMiB: previous.memory.totalMiB });
    const idleLabS = Object.values(idleCpu.labByProcessS).reduce((a, b) => a + b, 0);
    log(
      `idle: lab ${memory.totalMiB.toFixed(0)} MiB PSS, CPU ${((1000 * idleLabS) / idleCpu.wallS).toFixed(0)} ms/s (machine ${((1000 * idleCpu.machineS) / idleCpu.wallS).toFixed(0)})`,
    );

    if (options.warmupSeconds > 0) {
      log(`warm-up: ${options.ratePerTeam} orders/s per team for ${options.warmupSeconds} s`);
      const warmups = lab.teams.map((team) => loadTeam(lab, team, options.ratePerTeam, options.warmupSeconds, 'warmup'));
      await Promise.all(warmups.map((run) => run.exited));
    }

    log(`load: ${options.ratePerTeam} orders/s per team, measured for ${options.seconds} s`);
    const runs = lab.teams.map((team) => loadTeam(lab, team, options.ratePerTeam, k6StartS + options.seconds + k6TailS, 'measured'));
    const dbs = new Map(lab.teams.map((team) => [team, new pg.Client({ connectionString: lab.shopDatabaseUrl(team) })]));
    try {
      await Promise.all([...dbs.values()].map((db) => db.connect()));
      await sleep(k6StartS * 1000);
      const orders0 = await countOrders(dbs);
      const window = cpuWindow(
        lab,
        runs.map((r) => r.pid),
        2_000,
      );
      await sleep(options.seconds * 1000);
      const cpu = window();
      const orders1 = await countOrders(dbs);
      const summaries = await Promise.all(runs.map((run) => run.summary()));

      const teams: Record<string, TeamLoad> = {};
      lab.teams.forEach((team, i) => {
        const summary = summaries[i];
        teams[team] = {
          orders: orders1.get(team)! - orders0.get(team)!,
          ...(summary?.p95ByStep.checkout === undefined ? {} : { p95CheckoutMs: summary.p95ByStep.checkout, errorsPct: 100 * summary.failedShare }),
          droppedIterations: droppedIterations(lab, team),
        };
      });
      const orders = Object.values(teams).reduce((sum, t) => sum + t.orders, 0);
      const byKindS = sumBy(cpu.labByProcessS, (name) => processKind(name, lab.teams));
      byKindS.k6 = (byKindS.k6 ?? 0) + cpu.k6S;
      const idleMsPerS = (seconds: number) => (1000 * seconds) / idleCpu.wallS;
      return {
        teams: lab.teams,
        portBase: lab.portBase,
        upSeconds: lab.upSeconds,
        memory,
        idle: {
          wallS: idleCpu.wallS,
          labCpuMsPerS: idleMsPerS(idleLabS),
          machineCpuMsPerS: idleMsPerS(idleCpu.machineS),
          byProcessMsPerS: Object.fromEntries(Object.entries(idleCpu.labByProcessS).map(([name, s]) => [name, idleMsPerS(s)])),
        },
        load: {
          offeredPerTeam: options.ratePerTeam,
          wallS: cpu.wallS,
          orders,
          ordersPerS: orders / cpu.wallS,
          cpuMsPerOrder: cpuPerOrder(cpu.machineS, cpu.labByProcessS, cpu.k6S, orders, lab.teams),
          byKindMsPerOrder: Object.fromEntries(Object.entries(byKindS).map(([kind, s]) => [kind, (1000 * s) / Math.max(1, orders)])),
          teams,
        },
        verdict: stepVerdict(teams, options.ratePerTeam, cpu.wallS),
      };
    } finally {
      await Promise.all([...dbs.values()].map((db) => db.end().catch(() => {})));
      await Promise.all(runs.map((run) => run.stop(2_000)));
    }
  } finally {
    log('lab down');
    tearDownClassLab();
  }
}

/** A step's detail under its row: where memory and CPU go by process kind, each team's figures. */
function printStepDetails(step: ClassStep): void {
  const teamCount = step.teams.length;
  const memoryByKind = sumBy(step.memory.byProcess, (name) => processKind(name, step.teams));
  const teamKinds = Object.keys(step.memory.byProcess)
    .filter((name) => name.startsWith(`${step.teams[0]}-`))
    .map((name) => processKind(name, step.teams));
  const sorted = (record: Record<string, number>) => Object.entries(record).sort(([, a], [, b]) => b - a);
  log(
    `memory per team, MiB PSS (mean of ${teamCount}): ${teamKinds
      .map((kind) => `${kind} ${(memoryByKind[kind]! / teamCount).toFixed(0)}`)
      .join(', ')}; shared ${step.memory.sharedMiB.toFixed(0)}: ${sorted(memoryByKind)
      .filter(([kind]) => !teamKinds.includes(kind))
      .map(([kind, mib]) => `${kind} ${mib.toFixed(0)}`)
      .join(', ')}`,
  );
  log(
    `CPU ms per order by process (teams summed): ${sorted(step.load.byKindMsPerOrder)
      .filter(([, ms]) => ms >= 0.05)
      .map(([kind, ms]) => `${kind} ${ms.toFixed(2)}`)
      .join(', ')}`,
  );
  for (const [team, t] of Object.entries(step.load.teams)) {
    log(
      `${team}: ${(t.orders / step.load.wallS).toFixed(1)} orders/s, checkout p95 ${t.p95CheckoutMs?.toFixed(0) ?? '—'} ms, errors ${t.errorsPct?.toFixed(2) ?? '—'} %${t.droppedIterations ? `, ${t.droppedIterations} journeys dropped` : ''}`,
    );
  }
  log(step.verdict.holds ? 'holds' : `does not hold: ${step.verdict.reasons.join('; ')}`);
}

function writeJson(options: ClassOptions, steps: ClassStep[], error?: string): void {
  mkdirSync(path.dirname(jsonFile), { recursive: true });
  const machine = { cores: os.cpus().length, memoryGiB: os.totalmem() / 2 ** 30, node: process.versions.node, loadAverageAtEnd: os.loadavg() };
  const figures = {
    bench: 'class',
    at: new Date().toISOString(),
    machine,
    options,
    limits: holdLimits,
    targets: classTargets,
    p95Source: 'k6 (client side, the whole measured run of POST /api/orders, step:checkout)',
    steps,
    summary: classSummary(steps),
    ...(error ? { error } : {}),
  };
  writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
}

function printSummary(steps: ClassStep[]): void {
  console.log(`\n${classTable(steps).join('\n')}`);
  const s = classSummary(steps);
  console.log(
    `\nCPU ms/order: machine = /proc/stat busy ÷ orders of every team; shop = the teams' api/payments/worker; stores = Postgres (with backends), Redis, Toxiproxy; planes = the rest of the lab; other = machine − lab − k6 (this bench, other users).`,
  );
  console.log(`checkout p95 and errors: k6's figures (client side), the worst team's; errors = failed requests of the whole journey.`);
  const verdicts = targetVerdicts(s, steps.at(-1)?.teams.length ?? 0);
  console.log(
    `\nTargets: an added team ≤ ${classTargets.addedTeamMB} MB (${classTargets.addedTeamMiB.toFixed(0)} MiB) at idle; ≥ ${classTargets.teamsAtLoad} teams at the load.`,
  );
  console.log(
    `  added team: ${s.addedTeamMiB === undefined ? '—' : `${s.addedTeamMiB.toFixed(0)} MiB (the whole lab's PSS growth per team from the first step to the last)`} → ${verdicts.addedTeam}`,
  );
  console.log(`  teams held: ${s.teamsHeld}${s.brokeAt ? ` (stops holding at ${s.brokeAt})` : ''} → ${verdicts.teams}`);
  console.log(`\nJSON: ${path.relative(repo, jsonFile)}`);
}

async function main(): Promise<void> {
  let options: ClassOptions;
  try {
    options = parseClassArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${classUsage}`);
    process.exit(2);
  }
  tearDownOnExit();
  console.log(
    `Firedrill class benchmark — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, k6 on the same machine; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `team counts ${options.teamCounts.join(', ')}; ${options.ratePerTeam} orders/s per team (shop journeys that all buy); ${options.warmupSeconds} s warm-up + ${options.seconds} s measured; idle ${options.idleSeconds} s after ${options.settleSeconds} s settling`,
  );
  const steps: ClassStep[] = [];
  try {
    for (const count of options.teamCounts) {
      const step = await runStep(options, count, steps.at(-1));
      steps.push(step);
      printStepDetails(step);
      writeJson(options, steps);
      if (!step.verdict.holds) break;
    }
  } catch (err) {
    writeJson(options, steps, (err as Error).message);
    printSummary(steps);
    throw err;
  }
  printSummary(steps);
}

main().catch((err) => {
  console.error(err);
  tearDownClassLab();
  process.exit(1);
});

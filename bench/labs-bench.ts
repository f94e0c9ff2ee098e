/**
 * npm run bench:labs — every lab worked by the bot trainee, each on a fresh native lab of its own,
 * one at a time (the machine has room for one). Per lab, a row:
 *   fault → first alert, alert → the bot's lever, lever → probes holding: from the run's own
 *     journal (GET /api/runs/{id}/events as the instructor, fault.injected included), never from
 *     this script's clock (training's runMilestones says which event is which);
 *   orders accepted and lost: accepted = the 201s k6's shoppers got (the run's k6 summary; the
 *     orders charged in shop.orders if k6 wrote none); lost = accepted orders with no charged row
 *     in shop.orders, plus charged orders still not fulfilled once the worker has had
 *     `drainMs` to catch up after the run. Orders answered 503 (payments away) are not accepted;
 *     if the reconciler later finds them charged they must be fulfilled too, and are counted so;
 *   the run's CPU, from start to end of the run: the lab's own (its processes with their
 *     children, k6 apart, sampled from /proc, plus this process where the bot works) and the whole
 *     machine's busy CPU seconds (/proc/stat; on a shared machine it carries others' work too);
 *     and the peak of the lab processes' summed memory (PSS).
 * Then the targets and which labs met them. Figures only: a missed target is printed, not thrown;
 * the exit code is 1 only when a lab could not be run at all.
 * Env: BENCH_LABS=lab1-high-latency,lab2-payment-failures (default: every scenario in scenarios/),
 *      BENCH_SEED (default 1; the on-call lab picks its lab by it).
 */
import os from 'node:os';
import path from 'node:path';
import { orderAccountOnceFulfilled, startNativeLab, type OrderAccount } from '@firedrill/lab-infra';
import { listScenarioIds, loadScenario, defaultScenariosDir, runMilestones, type RunMilestones } from '@firedrill/training';
import { machineBusySeconds } from './lib/api-throughput.ts';
import { playWithBot } from './lib/bot-run.ts';
import { checkPasses } from './lib/k6.ts';
import { sampleLabResources, type LabUsage } from './lib/lab-resources.ts';
import { fmt } from './lib/stats.ts';

const targets = { alertS: 60, holdS: 90, lost: 0 };
/** How long the worker gets after a run to fulfil what was paid during it. */
const drainMs = 120_000;
/** Beyond the scenario's timebox: the steady-state gate (up to 90 s) and cleanup. */
const runMarginMs = 4 * 60_000;

interface LabResult {
  lab: string;
  runId?: string;
  milestones?: RunMilestones;
  orders?: { accepted: number; acceptedBy: 'k6' | 'shop.orders'; lost: number; account: OrderAccount };
  machineCpuS?: number;
  usage?: LabUsage;
  /** This process: the bot trainee works in it. */
  benchCpuS?: number;
  stoppedByBench?: boolean;
  error?: string;
}

function labsToRun(): string[] {
  const known = listScenarioIds(defaultScenariosDir);
  const asked = process.env.BENCH_LABS?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!asked?.length) return known;
  const unknown = asked.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new Error(`BENCH_LABS names no scenario ${unknown.join(', ')}; the labs are ${known.join(', ')}`);
  return asked;
}

async function benchLab(id: string, seed: number): Promise<LabResult> {
  const log = (line: string) => console.log(`  [${id}] ${line}`);
  const { scenario } = loadScenario(path.join(defaultScenariosDir, id));
  log('starting a fresh native lab');
  const lab = await startNativeLab();
  try {
    const usage = sampleLabResources(lab.stateDir);
    const busyBefore = machineBusySeconds();
    const cpuBefore = process.cpuUsage();
    const played = await playWithBot(lab, id, { seed, boundMs: scenario.timebox + runMarginMs, log });
    const cpu = process.cpuUsage(cpuBefore);
    const result: LabResult = {
      lab: id,
      runId: played.run.id,
      milestones: runMilestones(played.events),
      machineCpuS: machineBusySeconds() - busyBefore,
      usage: usage.stop(),
      benchCpuS: (cpu.user + cpu.system) / 1e6,
      stoppedByBench: played.stoppedByBench,
    };
    log(`run ${played.run.id} ${played.run.state}${played.run.reason ? `: ${played.run.reason}` : ''}; counting orders`);
    const account = await orderAccountOnceFulfilled(lab.postgresUrl('shop'), new Date(played.run.createdAt), drainMs);
    const shoppers = checkPasses(path.join(lab.stateDir, 'runs', played.run.id, 'k6.summary.json'), 'order accepted (201)');
    const accepted = shoppers ?? account.paid;
    result.orders = {
      accepted,
      acceptedBy: shoppers === undefined ? 'shop.orders' : 'k6',
      lost: Math.max(0, accepted - account.paid) + account.awaitingFulfilment,
      account,
    };
    return result;
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? err}`);
    return { lab: id, error: (err as Error).message };
  } finally {
    await lab.down();
  }
}

const seconds = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : (to - from) / 1000);

function figures(r: LabResult) {
  const m = r.milestones;
  return {
    alertS: seconds(m?.fault?.atMs, m?.firstAlert?.atMs),
    leverS: seconds(m?.firstAlert?.atMs, m?.mitigation?.atMs),
    holdS: seconds(m?.mitigation?.atMs, m?.holdingAtMs),
  };
}

/** The lab's processes and this one (the bot works in it): on a shared machine, the machine's figure also carries other people's work. */
const labCpuS = (r: LabResult) => (r.usage && r.benchCpuS !== undefined ? r.usage.cpuSeconds + r.benchCpuS : undefined);

const cell = (value: number | undefined, width: number, digits = 1) => (value === undefined ? '—'.padStart(width) : fmt(value, digits, width));

function printTable(results: LabResult[]): void {
  const width = Math.max(24, ...results.map((r) => r.lab.length));
  console.log(`\n${'lab'.padEnd(width)}  fault→alert s  alert→lever s  lever→hold s  accepted  lost  CPU s lab  CPU s machine  peak MiB  outcome`);
  for (const r of results) {
    const f = figures(r);
    const outcome = r.error ? `error: ${r.error}` : `${r.milestones?.state ?? '?'}${r.stoppedByBench ? ' (stopped by the bench)' : ''}`;
    console.log(
      `${r.lab.padEnd(width)}  ${cell(f.alertS, 13)}  ${cell(f.leverS, 13)}  ${cell(f.holdS, 12)}  ${cell(r.orders?.accepted, 8, 0)}  ${cell(r.orders?.lost, 4, 0)}  ${cell(labCpuS(r), 9)}  ${cell(r.machineCpuS, 13)}  ${cell(r.usage?.peakMiB, 8, 0)}  ${outcome}`,
    );
  }
}

function printDetails(results: LabResult[]): void {
  console.log('\nPer lab');
  for (const r of results.filter((x) => !x.error)) {
    const m = r.milestones!;
    const wallS = seconds(m.liveAtMs, m.endedAtMs);
    console.log(`  ${r.lab} (run ${r.runId}, live ${wallS === undefined ? '?' : wallS.toFixed(0)} s)`);
    console.log(
      `    fault: ${m.fault ? `${m.fault.family ?? '?'}${m.fault.target ? ` on ${m.fault.target}` : ''}` : 'none injected'}; first alert: ${m.firstAlert?.alertname ?? 'none'}`,
    );
    const mit = m.mitigation;
    const ending = mit
      ? `${mit.lever} by ${mit.actor}${mit.endedCause ? ' (ended the cause)' : ` (${mit.matched ?? 'no effect'}; the cause ended by itself)`}`
      : 'none';
    console.log(`    lever: ${ending}; levers pulled: ${m.levers.map((l) => `${l.lever} [${l.matched ?? '-'}]`).join(', ') || 'none'}`);
    const o = r.orders!;
    const a = o.account;
    console.log(
      `    orders: ${o.accepted} accepted (${o.acceptedBy}); shop.orders: ${a.placed} placed, ${a.paid} charged, ${a.fulfilled} fulfilled, ${a.awaitingFulfilment} not fulfilled after ${drainMs / 1000} s, ${a.paymentFailed} declined, ${a.pending} pending`,
    );
    const groups = Object.entries(r.usage!.groups).sort(([, x], [, y]) => y.cpuSeconds - x.cpuSeconds);
    console.log(
      `    CPU s by process (peak MiB): ${groups.map(([name, g]) => `${name} ${g.cpuSeconds.toFixed(1)} (${g.peakMiB.toFixed(0)})`).join(', ')}; bench with the bot ${r.benchCpuS!.toFixed(1)}`,
    );
  }
}

function printTargets(results: LabResult[]): void {
  console.log(`\nTargets: first alert within ${targets.alertS} s of the fault; lever → probes holding within ${targets.holdS} s; ${targets.lost} orders lost`);
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  for (const r of results) {
    const f = figures(r);
    const alertOk = f.alertS !== undefined && f.alertS <= targets.alertS;
    const holdOk = f.holdS !== undefined && f.holdS <= targets.holdS;
    const lostOk = r.orders !== undefined && r.orders.lost <= targets.lost;
    console.log(
      `  ${r.lab.padEnd(26)} alert ${mark(alertOk).padEnd(6)}  hold ${mark(holdOk).padEnd(6)}  orders ${mark(lostOk).padEnd(6)}  → ${alertOk && holdOk && lostOk ? 'MET' : 'NOT MET'}`,
    );
  }
}

const labs = labsToRun();
const seed = Number(process.env.BENCH_SEED ?? 1);
if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`BENCH_SEED must be a whole number, not ${process.env.BENCH_SEED}`);
console.log(
  `Firedrill labs benchmark — ${os.cpus().length} cores, Node ${process.versions.node}; ${labs.length} lab(s) with the bot trainee, seed ${seed}, one fresh native lab each`,
);
const results: LabResult[] = [];
for (const id of labs) results.push(await benchLab(id, seed));
printTable(results);
printDetails(results);
printTargets(results);
if (results.some((r) => r.error)) process.exitCode = 1;

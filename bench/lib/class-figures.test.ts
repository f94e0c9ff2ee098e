import { describe, expect, it } from 'vitest';
import {
  type ClassStep,
  classSummary,
  classTable,
  cpuPerOrder,
  cpuShare,
  parseClassArgs,
  processKind,
  stepMemory,
  stepVerdict,
  targetVerdicts,
  teamCountsUpTo,
} from './class-figures.ts';
import { parsePssMiB } from './lab-resources.ts';

const teams = ['blue', 'green'];

describe('bench:class figures', () => {
  it('when smaps_rollup is read, then its Pss line is taken in MiB (not Rss, not Pss_Anon)', () => {
    const rollup = [
      '55d0c0a00000-7ffd1b5fe000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:              102400 kB',
      'Pss:               51200 kB',
      'Pss_Anon:          40960 kB',
      'Pss_File:          10240 kB',
    ].join('\n');
    expect(parsePssMiB(rollup)).toBe(50);
    expect(parsePssMiB('')).toBe(0);
  });

  it('when no counts are given, then the steps are 1, 2, then every second count up to --max', () => {
    expect(teamCountsUpTo(8)).toEqual([1, 2, 4, 6, 8]);
    expect(teamCountsUpTo(9)).toEqual([1, 2, 4, 6, 8, 9]);
    expect(teamCountsUpTo(3)).toEqual([1, 2, 3]);
    expect(teamCountsUpTo(1)).toEqual([1]);
  });

  it('when options are read, then defaults fill the rest and bad values are refused with their name', () => {
    expect(parseClassArgs([])).toEqual({ teamCounts: [1, 2, 4, 6, 8], ratePerTeam: 15, seconds: 60, warmupSeconds: 15, idleSeconds: 20, settleSeconds: 15 });
    expect(parseClassArgs(['--teams', '1,2', '--seconds=30', '--port-base', '9000'])).toMatchObject({ teamCounts: [1, 2], seconds: 30, portBase: 9000 });
    expect(parseClassArgs(['--max', '4']).teamCounts).toEqual([1, 2, 4]);
    expect(() => parseClassArgs(['--teams', '2,1'])).toThrow(/counts go up/);
    expect(() => parseClassArgs(['--teams', '10'])).toThrow(/1 to 9/);
    expect(() => parseClassArgs(['--seconds', '3'])).toThrow(/--seconds 3/);
    expect(() => parseClassArgs(['--teams', '1', '--max', '4'])).toThrow(/one or the other/);
    expect(() => parseClassArgs(['--minutes', '4'])).toThrow(/unknown option --minutes/);
    expect(() => parseClassArgs(['--seconds'])).toThrow(/needs a value/);
  });

  it("when a lab's processes are named, then a team's shop, its Prometheus gate, the stores and the planes are told apart", () => {
    expect(processKind('blue-worker-2', teams)).toBe('worker-2');
    expect(processKind('postgres', teams)).toBe('postgres');
    expect(['blue-api', 'green-payments', 'blue-worker', 'blue-worker-3'].map((n) => cpuShare(n, teams))).toEqual(['shop', 'shop', 'shop', 'shop']);
    expect(['postgres', 'redis', 'toxiproxy', 'blue-redis'].map((n) => cpuShare(n, teams))).toEqual(['stores', 'stores', 'stores', 'stores']);
    expect(['blue-prom-label-proxy', 'team-prometheus', 'prometheus', 'postgres-exporter', 'training', 'supervisor'].map((n) => cpuShare(n, teams))).toEqual([
      'planes',
      'planes',
      'planes',
      'planes',
      'planes',
      'planes',
    ]);
  });

  it('when memory is summed, then each team has its own processes, the rest is shared, and an added team is the growth of the whole lab', () => {
    const byProcess = { 'blue-api': 80, 'blue-worker': 100, 'green-api': 70, 'green-prom-label-proxy': 20, 'green-redis': 5, postgres: 150, prometheus: 50 };
    const memory = stepMemory(byProcess, teams, { teams: 1, totalMiB: 300 });
    expect(memory.totalMiB).toBe(475);
    // A team's own Redis server is its team's.
    expect(memory.perTeamMiB).toEqual({ blue: 180, green: 95 });
    expect(memory.sharedMiB).toBe(200);
    expect(memory.addedTeamMiB).toBe(175);
    expect(stepMemory({ postgres: 10 }, teams).perTeamMiB).toEqual({ blue: 0, green: 0 });
    expect(stepMemory({ postgres: 10 }, teams).addedTeamMiB).toBeUndefined();
  });

  it('when CPU is divided by orders, then the machine, its shares and what is left over are ms per order', () => {
    const perOrder = cpuPerOrder(3, { 'blue-api': 0.5, 'green-worker': 0.5, postgres: 0.4, toxiproxy: 0.1, prometheus: 0.5 }, 0.5, 200, teams);
    expect(perOrder).toEqual({ machine: 15, shop: 5, stores: 2.5, planes: 2.5, k6: 2.5, other: 2.5 });
  });

  it('when a step is judged, then p95 over 500 ms, errors over 1 %, too few orders or no summary each break it, naming the team', () => {
    const fine = { orders: 450, p95CheckoutMs: 120, errorsPct: 0, droppedIterations: 0 };
    expect(stepVerdict({ blue: fine, green: fine }, 15, 30)).toEqual({ holds: true, reasons: [] });
    expect(stepVerdict({ blue: fine, green: { ...fine, p95CheckoutMs: 501 } }, 15, 30).reasons).toEqual(['green: checkout p95 501 ms > 500 ms']);
    expect(stepVerdict({ blue: { ...fine, errorsPct: 1.5 } }, 15, 30).reasons).toEqual(['blue: errors 1.50 % > 1 %']);
    expect(stepVerdict({ blue: { ...fine, orders: 400, droppedIterations: 12 } }, 15, 30).reasons).toEqual([
      'blue: 13.3 orders/s of 15 offered (12 journeys dropped by k6)',
    ]);
    expect(stepVerdict({ blue: { orders: 450, droppedIterations: 0 } }, 15, 30)).toEqual({ holds: false, reasons: ['blue: k6 wrote no summary'] });
  });

  it('when steps are tabled, then each has a row with its figures and the summary names the largest class that held', () => {
    const step = (n: number, totalMiB: number, p95: number): ClassStep => ({
      teams: teams.slice(0, n),
      portBase: 20000,
      upSeconds: 30,
      memory: stepMemory(Object.fromEntries([['postgres', totalMiB - 200 * n], ...teams.slice(0, n).map((t) => [`${t}-api`, 200])]), teams.slice(0, n)),
      idle: { wallS: 10, labCpuMsPerS: 50, machineCpuMsPerS: 80, byProcessMsPerS: {} },
      load: {
        offeredPerTeam: 15,
        wallS: 30,
        orders: 450 * n,
        ordersPerS: 15 * n,
        cpuMsPerOrder: { machine: 20, shop: 8, stores: 5, planes: 3, k6: 3, other: 1 },
        byKindMsPerOrder: {},
        teams: Object.fromEntries(teams.slice(0, n).map((t) => [t, { orders: 450, p95CheckoutMs: p95, errorsPct: 0, droppedIterations: 0 }])),
      },
      verdict: stepVerdict(
        Object.fromEntries(teams.slice(0, n).map((t) => [t, { orders: 450, p95CheckoutMs: p95, errorsPct: 0, droppedIterations: 0 }])),
        15,
        30,
      ),
    });
    const steps = [step(1, 600, 100), step(2, 820, 700)];
    const [header, one, two] = classTable(steps);
    expect(header).toContain('checkout p95 ms');
    expect(one!.trim().split(/\s+/)).toEqual(['1', '600', '200', '—', '50', '15.0', '20.0', '8.0', '5.0', '3.0', '3.0', '1.0', '100', '0.00', 'yes']);
    expect(two!.trim().split(/\s+/).at(-3)).toBe('700');
    expect(two!.trim().endsWith('NO')).toBe(true);
    expect(classSummary(steps)).toEqual({ teamsHeld: 1, brokeAt: 2, addedTeamMiB: 220 });
  });

  it('when the targets are judged, then a class that broke misses, one never brought that far is not measured, and 250 MB is 238 MiB', () => {
    expect(targetVerdicts({ teamsHeld: 6, addedTeamMiB: 238 }, 8)).toEqual({ addedTeam: 'met', teams: 'met' });
    expect(targetVerdicts({ teamsHeld: 4, brokeAt: 6, addedTeamMiB: 240 }, 6)).toEqual({ addedTeam: 'MISSED', teams: 'MISSED' });
    expect(targetVerdicts({ teamsHeld: 2 }, 2)).toEqual({
      addedTeam: 'not measured (one step only: run two team counts)',
      teams: 'not measured (the largest class run was 2; it held)',
    });
  });
});

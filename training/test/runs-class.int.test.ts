/**
 * Runs of a class (docs/decisions/0015) in a real two-team native lab: blue's and green's runs go
 * at the same time, each on its own shop — its release and flag on its team's payments, its k6 at
 * its team's api, its fault carrying its team; a third run for blue waits its turn, a run for no
 * team is refused; a rollback pulled for blue redeploys blue's payments only and ends blue's
 * fault, which resolves blue's run while green's goes on; both end cleaned up. One lab for the
 * file (~30–60 s with its start).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, teamPortsFor, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { processesWith } from './helpers/processes.ts';
import { runsApi, writeShortScenario, type Run } from './helpers/runs-api.ts';

let lab: NativeLab;
let api: ReturnType<typeof runsApi>;
let scenariosDir: string;
const scenario = 'test-class-latency';
const started = Date.now();

beforeAll(async () => {
  scenariosDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-class-scenarios-'));
  // Two of them at once: a shorter scenario than the runner's tests (the fault 2 s into the live phase, 5 s of stability).
  writeShortScenario(scenariosDir, scenario, { rate: 2, faultAt: '2s', stability: '5s' });
  lab = await startNativeLab({ LAB_TEAMS: 'blue,green', LAB_SCENARIOS_DIR: scenariosDir });
  api = runsApi(lab);
  console.log(`two-team lab up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 150_000);

afterAll(async () => {
  await lab?.down();
  if (scenariosDir) rmSync(scenariosDir, { recursive: true, force: true });
  console.log(`runs-class test took ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
}, 120_000);

const fraudCheck = async (team: string) =>
  (await api.call<{ flags: Record<string, unknown> }>('GET', `/api/flags?team=${team}`, 'operator')).body.flags['payments.fraud-check'];
const versionOf = async (name: string) => (await lab.status()).find((s) => s.name === name)?.version;
const currentPayments = async (team: string) => (await api.call<{ current: { payments: string } }>('GET', `/api/releases?team=${team}`)).body.current.payments;
/** The BASE_URL a run's k6 shoots at, from its command line (`-e BASE_URL=…`). */
const k6BaseUrl = (runId: string): string | undefined => {
  const [pid] = processesWith(`testid=${runId}`);
  if (pid === undefined) return undefined;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args.find((arg) => arg.startsWith('BASE_URL='))?.slice('BASE_URL='.length);
};
const teamApi = (team: 'blue' | 'green') => `http://127.0.0.1:${teamPortsFor(lab.ports.api, team === 'blue' ? 1 : 2).api}`;

describe('runs of a class of two teams', () => {
  it('plays a run per team at once, each on its own shop, and a rollback on blue changes blue’s shop and run only', async () => {
    const noTeam = await api.start({ scenario, speed: 1 });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.detail).toContain('name the team');

    const blue = await api.start({ scenario, speed: 1, team: 'blue' });
    const green = await api.start({ scenario, speed: 1, team: 'green' });
    expect([blue.status, green.status]).toEqual([201, 201]);
    const [blueRun, greenRun] = [blue.body as Run, green.body as Run];

    const again = await api.start({ scenario, speed: 1, team: 'blue' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'run_in_progress', runId: blueRun.id });

    // Each run's release goes to its team's payments, and its fault carries its team.
    for (const run of [blueRun, greenRun]) await api.waitForEvent(run.id, (e) => e.kind === 'fault.injected', 60_000);
    expect([await versionOf('blue-payments'), await versionOf('green-payments')]).toEqual(['2.4.0', '2.4.0']);
    expect([await currentPayments('blue'), await currentPayments('green')]).toEqual(['2.4.0', '2.4.0']);
    expect([await fraudCheck('blue'), await fraudCheck('green')]).toEqual([true, true]);
    const faults = (await (await lab.chaos('GET', '/api/faults')).json()) as { faults: { team?: string; createdBy: string }[] };
    expect(faults.faults.map((f) => [f.team, f.createdBy]).sort()).toEqual([
      ['blue', `training:${blueRun.id}`],
      ['green', `training:${greenRun.id}`],
    ]);
    // Each run's shoppers shop at its team's api.
    await waitFor('both runs’ k6', async () => (k6BaseUrl(blueRun.id) && k6BaseUrl(greenRun.id) ? true : undefined), { timeoutMs: 20_000 });
    expect(k6BaseUrl(blueRun.id)).toBe(teamApi('blue'));
    expect(k6BaseUrl(greenRun.id)).toBe(teamApi('green'));

    // The rollback for blue redeploys blue's payments, not green's, and ends blue's fault.
    const lever = await api.call('POST', '/api/levers', 'operator', { lever: 'rollback payments', team: 'blue' });
    expect(lever.status).toBe(200);
    expect(lever.body).toMatchObject({ summary: 'payments rolled back to 2.3.0 (from 2.4.0)' });
    expect([await versionOf('blue-payments'), await versionOf('green-payments')]).toEqual(['2.3.0', '2.4.0']);
    expect([await currentPayments('blue'), await currentPayments('green')]).toEqual(['2.3.0', '2.4.0']);
    // The rollback of blue's release puts blue's flag back (the step set it); green's stays.
    await waitFor('blue’s flag restored', async () => (await fraudCheck('blue')) === false, { timeoutMs: 10_000 });
    expect(await fraudCheck('green')).toBe(true);

    const blueEnd = await api.waitForEnd(blueRun.id, 60_000);
    expect(blueEnd.state).toBe('resolved');
    const blueEvents = await api.events(blueRun.id);
    expect(blueEvents.find((e) => e.kind === 'lever.applied')).toMatchObject({ data: { lever: 'rollback payments', matched: 'ends' } });
    const greenEvents = await api.events(greenRun.id);
    expect(greenEvents.filter((e) => e.kind === 'lever.applied')).toEqual([]);
    expect((await api.run(greenRun.id)).state).toBe('live');
    // Blue's cleanup left green's fault alone.
    const left = (await (await lab.chaos('GET', '/api/faults')).json()) as { faults: { team?: string }[] };
    expect(left.faults.map((f) => f.team)).toEqual(['green']);

    const stopped = await api.call<Run>('POST', `/api/runs/${greenRun.id}/stop`, 'operator');
    expect(stopped.body.state).toBe('stopped');
    expect(await api.activeFaults()).toEqual([]);
    expect([await versionOf('blue-payments'), await versionOf('green-payments')]).toEqual(['2.3.0', '2.3.0']);
    expect([await fraudCheck('blue'), await fraudCheck('green')]).toEqual([false, false]);
    await waitFor('no k6 of either run', async () => [blueRun, greenRun].every((run) => processesWith(`testid=${run.id}`).length === 0) || undefined, {
      timeoutMs: 10_000,
    });
  }, 150_000);
});

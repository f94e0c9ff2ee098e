/**
 * Lab 1 (lab1-high-latency) played through the runs API in a real native lab, with real k6 load
 * and Prometheus probes. The test is the trainee: once the release's fault is in, it pulls the
 * right lever by hand (rollback payments) and the run ends resolved, with everything restored.
 * Speed 3 shortens the scenario's own clock (the release ~15 s into the live phase, stability
 * 20 s); Prometheus' 1-minute windows do not speed up, so the hold starts once p95 is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { processesWith } from './helpers/processes.ts';
import { runsApi } from './helpers/runs-api.ts';
import { allLabs } from './labs/helpers/lab-selection.ts';

// Only with FIREDRILL_ALL_LABS=1: in CI, Lab 1 is played by a trainee in the console
// (console/test/console-lab1.int.test.ts) through the same runs API and lever.
describe.skipIf(!allLabs)('Lab 1 through the runs API', () => {
  // Inside the skipped block: a lab that is not played starts nothing.
  let lab: NativeLab;
  let api: ReturnType<typeof runsApi>;

  beforeAll(async () => {
    lab = await startNativeLab();
    api = runsApi(lab);
  }, 150_000);

  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  it('when the trainee rolls payments back after the bad release, then the run ends resolved and the lab is as before', async () => {
    const started = await api.start({ scenario: 'lab1-high-latency', speed: 3, seed: 1 });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ scenario: 'lab1-high-latency', state: 'warming', briefing: expect.stringContaining('') });
    const runId = started.body.id;

    const injected = await api.waitForEvent(runId, (e) => e.kind === 'fault.injected', 150_000);
    expect(injected.data).toMatchObject({ family: 'latency', target: 'payments', release: { service: 'payments', version: '2.4.0' } });
    expect((await api.currentVersions()).payments).toBe('2.4.0');
    // Operators never see the fault itself.
    expect((await api.events(runId, 'operator')).some((e) => e.kind === 'fault.injected')).toBe(false);

    const lever = await api.call('POST', '/api/levers', 'operator', { lever: 'rollback payments' });
    expect(lever.status, JSON.stringify(lever.body)).toBe(200);
    const applied = await api.waitForEvent(runId, (e) => e.kind === 'lever.applied', 10_000);
    expect(applied.data).toMatchObject({ lever: 'rollback payments', matched: 'ends' });
    const ended = await api.waitForEvent(runId, (e) => e.kind === 'cause.ended', 15_000);
    expect(ended.data).toMatchObject({ by: 'lever', leverEventId: applied.id });

    const run = await api.waitForEnd(runId, 170_000);
    expect(run.state, run.reason ?? '').toBe('resolved');

    const status = (await api.call<Record<string, unknown>>('GET', `/api/runs/${runId}/status`, 'operator')).body;
    expect(status).toMatchObject({ state: 'resolved', phase: 'ended', levers: [{ actor: 'operator:test', lever: 'rollback payments' }] });
    expect(await api.activeFaults()).toEqual([]);
    expect((await api.currentVersions()).payments).toBe('2.3.0');
    expect((await api.flags())['payments.fraud-check']).toBe(false);
    await waitFor('no k6 of the run', async () => processesWith(`testid=${runId}`).length === 0, { timeoutMs: 10_000 });
  }, 360_000);
});

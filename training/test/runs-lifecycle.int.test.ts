/**
 * A run's life in a real native lab, on a short scenario of the tests' own: the gate refuses a shop
 * that already has a fault; a run stopped mid-way, and a run whose training process is SIGKILLed
 * mid-way (the supervisor restarts it), both leave no fault active, no bad release deployed, no
 * flag changed and no load running.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { processesWith } from './helpers/processes.ts';
import { runsApi, trainingPid, writeShortScenario, type RunEvent } from './helpers/runs-api.ts';

let lab: NativeLab;
let api: ReturnType<typeof runsApi>;
let scenariosDir: string;
let scenario: string;

beforeAll(async () => {
  scenariosDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-scenarios-'));
  scenario = writeShortScenario(scenariosDir);
  lab = await startNativeLab({ LAB_SCENARIOS_DIR: scenariosDir });
  api = runsApi(lab);
}, 150_000);

afterAll(async () => {
  await lab?.down();
  if (scenariosDir) rmSync(scenariosDir, { recursive: true, force: true });
}, 120_000);

/** What a finished run must have left: the shop as the baseline, nothing of the run running. */
async function expectNothingLeftOf(runId: string): Promise<void> {
  expect(await api.activeFaults()).toEqual([]);
  expect((await api.currentVersions()).payments).toBe('2.3.0');
  const payments = (await lab.status()).find((s) => s.name === 'payments');
  expect(payments?.version).toBe('2.3.0');
  expect((await api.flags())['payments.fraud-check']).toBe(false);
  // k6 may take a moment to be reaped after its SIGKILL.
  await waitFor('no k6 of the run', async () => processesWith(`testid=${runId}`).length === 0, { timeoutMs: 10_000 });
}

const faultInjected = (e: RunEvent) => e.kind === 'fault.injected';

describe('a run in the native lab', () => {
  it('when a run is asked for badly, then the answer is a 4xx problem naming what is wrong, and no run starts', async () => {
    const unknown = await api.start({ scenario: 'no-such-scenario' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'unknown_scenario' });
    const tooFast = await api.start({ scenario, speed: 1000 });
    expect(tooFast.status).toBe(400);
    expect(tooFast.body).toMatchObject({ code: 'validation_failed' });
    expect((await api.call('GET', '/api/runs/run-000000000000')).status).toBe(404);
    expect((await api.call<{ runs: unknown[] }>('GET', '/api/runs')).body.runs).toEqual([]);
  });

  it('when a fault is already active, then the run is refused, says why, injects nothing and leaves that fault alone', async () => {
    const injected = await lab.chaos('POST', '/api/faults', { family: 'errors', target: 'api', rate: 0.5, for: '5m' });
    expect(injected.status).toBe(201);
    const foreign = ((await injected.json()) as { id: string }).id;

    const started = await api.start({ scenario });
    expect(started.status).toBe(201);
    expect(started.body.state).toBe('warming');
    const run = await api.waitForEnd(started.body.id, 30_000);
    expect(run.state).toBe('refused');
    expect(run.reason).toMatch(/a fault is already active: errors on api/);

    const events = await api.events(run.id);
    expect(events.filter(faultInjected)).toEqual([]);
    expect((await api.activeFaults()).map((f) => f.id)).toEqual([foreign]);
    expect(processesWith(`testid=${run.id}`)).toEqual([]);
    expect((await lab.chaos('DELETE', `/api/faults/${foreign}`)).status).toBe(200);
  });

  it('when a run is stopped after its fault, then stop answers once cleanup is done: stopped, and nothing of it is left', async () => {
    const started = await api.start({ scenario });
    expect(started.status).toBe(201);
    const runId = started.body.id;
    // One at a time.
    const second = await api.start({ scenario });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'run_in_progress', runId });

    await api.waitForEvent(runId, faultInjected, 60_000);
    expect(await api.activeFaults()).toHaveLength(1);
    expect((await api.currentVersions()).payments).toBe('2.4.0');
    expect(processesWith(`testid=${runId}`).length).toBeGreaterThan(0);

    const stopped = await api.call('POST', `/api/runs/${runId}/stop`, 'operator');
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ id: runId, state: 'stopped', reason: 'stopped by operator:test' });
    await expectNothingLeftOf(runId);

    // The journal on disk ends with the same end as the database.
    const journal = path.join(lab.stateDir, 'runs', runId, 'events.jsonl');
    expect(existsSync(journal)).toBe(true);
    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(lines.at(-1)).toMatchObject({ kind: 'run.state', data: { state: 'stopped' } });
    expect(lines.map((e) => e.id)).toEqual((await api.events(runId)).map((e) => e.id));
  });

  it('when the instructor pauses, extends and resumes a run, then each answers the status (pausedAt, timebox) and is recorded for everyone; the operator gets 403, a warming run, a second pause, a resume unpaused and an extension past 60 minutes get 409, a bad body 400', async () => {
    const started = await api.start({ scenario });
    expect(started.status).toBe(201);
    const runId = started.body.id;
    const hold = (action: string, role: 'instructor' | 'operator' = 'instructor', body?: unknown) =>
      api.call<Record<string, unknown>>('POST', `/api/runs/${runId}/${action}`, role, body);

    const warming = await hold('pause');
    expect(warming.status).toBe(409);
    expect(warming.body).toMatchObject({ code: 'run_not_live', detail: expect.stringContaining('still warming up') });
    await api.waitForEvent(runId, (e) => e.kind === 'run.state' && e.data.state === 'live', 60_000);

    const operator = await hold('pause', 'operator');
    expect(operator.status).toBe(403);
    expect(operator.body).toMatchObject({ code: 'forbidden' });
    expect((await api.call('POST', '/api/runs/run-000000000000/pause')).status).toBe(404);

    const paused = await hold('pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: runId, state: 'live', pausedAt: expect.stringMatching(/^\d{4}-/), timeboxMs: 300_000 });
    expect((await hold('pause')).body).toMatchObject({ code: 'run_already_paused' });
    expect((await api.call('GET', `/api/runs/${runId}/status`, 'operator')).body.pausedAt).toBe(paused.body.pausedAt);

    for (const bad of [{ minutes: 0 }, { minutes: 31 }, { minutes: 2.5 }, { minutes: '5' }, {}, { minutes: 5, extra: true }]) {
      const answer = await hold('extend', 'instructor', bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body).toMatchObject({ code: 'validation_failed' });
    }
    const extended = await hold('extend', 'instructor', { minutes: 5 });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ timeboxMs: 600_000, pausedAt: paused.body.pausedAt });
    expect((await hold('extend', 'instructor', { minutes: 30 })).status).toBe(200);
    const tooMuch = await hold('extend', 'instructor', { minutes: 30 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'run_extension_cap', detail: expect.stringContaining('at most 25 more') });

    const resumed = await hold('resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ pausedAt: null, timeboxMs: 40 * 60_000 });
    expect((await hold('resume')).body).toMatchObject({ code: 'run_not_paused' });

    // The operator (a trainee's view) sees the three kinds: the console's event stream shows them.
    const seen = (await api.events(runId, 'operator')).filter((e) => e.kind.startsWith('run.') && e.kind !== 'run.state');
    expect(seen.map((e) => [e.kind, e.actor, e.visibility])).toEqual([
      ['run.paused', 'instructor:test', 'everyone'],
      ['run.extended', 'instructor:test', 'everyone'],
      ['run.extended', 'instructor:test', 'everyone'],
      ['run.resumed', 'instructor:test', 'everyone'],
    ]);
    expect(seen[2]!.data).toEqual({ minutes: 30, timeboxMs: 40 * 60_000 });

    expect((await api.call('POST', `/api/runs/${runId}/stop`)).status).toBe(200);
    const ended = await hold('resume');
    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({ code: 'run_not_live', detail: expect.stringContaining('is stopped') });
    // An ended run's status keeps the timebox it was given.
    expect((await api.call('GET', `/api/runs/${runId}/status`)).body).toMatchObject({ timeboxMs: 40 * 60_000, pausedAt: null });
    await expectNothingLeftOf(runId);
  }, 150_000);

  it('when the training process is SIGKILLed mid-run, then after the supervisor restarts it the run is failed and nothing of it is left', async () => {
    const before = await trainingPid(lab);
    const started = await api.start({ scenario });
    expect(started.status).toBe(201);
    const runId = started.body.id;
    await api.waitForEvent(runId, faultInjected, 60_000);
    expect(processesWith(`testid=${runId}`).length).toBeGreaterThan(0);

    process.kill(before, 'SIGKILL');
    await trainingPid(lab, before);
    const run = await waitFor(
      'the run ended by recovery',
      async () => {
        const current = await api.run(runId).catch(() => undefined);
        return current?.endedAt ? current : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(run.state).toBe('failed');
    expect(run.reason).toMatch(/training process stopped during the run/);
    await expectNothingLeftOf(runId);
  }, 150_000);

  // Last: it stops the lab (afterAll's down then only removes the state dir).
  it('when `lab down` is run mid-run, then the run is stopped and cleaned up before the shop stops: its journal ends stopped, after the rollback', async () => {
    const started = await api.start({ scenario });
    expect(started.status).toBe(201);
    const runId = started.body.id;
    await api.waitForEvent(runId, faultInjected, 60_000);

    const down = await lab.lab('down');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(`stopping run ${runId} first`);

    const events = readFileSync(path.join(lab.stateDir, 'runs', runId, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    const end = events.findIndex((e) => e.kind === 'run.state' && e.data?.state === 'stopped');
    expect(end, 'the run ended stopped').toBeGreaterThan(-1);
    // The bad release was rolled back by the run's cleanup itself, not left for the next start.
    const rollback = events.findIndex((e) => e.kind === 'rollback' && e.data?.service === 'payments');
    expect(rollback, 'payments rolled back').toBeGreaterThan(-1);
    expect(rollback).toBeLessThan(end);
    expect(processesWith(`testid=${runId}`)).toEqual([]);
  }, 150_000);
});

import { describe, expect, it } from 'vitest';
import type { Probe } from '../scenario/scenario-schema.ts';
import type { ExecutorResult, RunbookExecutors } from './runbook-executors.ts';
import { planRunbook, type RunbookPlan } from './runbook-plan.ts';
import { dryRunRunbook, runRunbook } from './runbook-runner.ts';
import { runbookSchema } from './runbook-schema.ts';
import type { RunbookStepRecord } from './runbook-step-record.ts';

/**
 * The runner with fake executors: each command, lever and probe answers from a script the test
 * gives, and every call is logged, so order, retries, timeouts and rollbacks can be seen.
 */
type Script = Record<string, Array<ExecutorResult | 'hang' | 'throw'>>;

function fakeLab(script: Script) {
  const calls: string[] = [];
  const answer = async (key: string, signal: AbortSignal): Promise<ExecutorResult> => {
    calls.push(key);
    const next = script[key]?.shift() ?? { ok: true, output: `${key} done` };
    if (next === 'throw') throw new Error(`${key} exploded`);
    if (next === 'hang') return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ ok: false, output: 'aborted' })));
    return next;
  };
  const executors: RunbookExecutors = {
    runCommand: (command, { signal }) => answer(`command ${command}`, signal),
    applyLever: (lever, { signal }) => answer(`lever ${lever}`, signal),
    checkProbe: (probe: Probe, { signal }) => answer(`probe ${probe.kind === 'promql' ? probe.promql : ''}`, signal),
  };
  const records: RunbookStepRecord[] = [];
  const recorder = {
    async record(step: RunbookStepRecord) {
      records.push(step);
    },
  };
  return { executors, recorder, calls, records, statuses: () => records.map((r) => `${r.step}: ${r.status}`) };
}

function plan(file: unknown, params: Record<string, string> = {}): RunbookPlan {
  const planned = planRunbook(runbookSchema.parse(file), params);
  if (!planned.ok) throw new Error(planned.errors.join('; '));
  return planned.plan;
}

const noWait = async () => {};

const threeSteps = {
  name: 'three-steps',
  title: 'Three steps',
  kind: 'remediation',
  steps: [
    { name: 'look', command: 'lab status' },
    { name: 'fail over', lever: 'failover payments', rollback: { lever: 'flag payments.secondary-gateway false' } },
    { name: 'degrade', lever: 'flag api.degraded-mode true', rollback: { lever: 'flag api.degraded-mode false' } },
    { name: 'check', probe: { promql: 'up == 1' } },
  ],
};

describe('running a runbook', () => {
  it('when every step passes, then they run in order and each is recorded started then passed', async () => {
    const lab = fakeLab({});
    const outcome = await runRunbook(plan(threeSteps), { ...lab, sleep: noWait });
    expect(outcome).toMatchObject({ ok: true, failedStep: undefined, problems: [] });
    expect(lab.calls).toEqual(['command lab status', 'lever failover payments', 'lever flag api.degraded-mode true', 'probe up == 1']);
    expect(lab.statuses()).toEqual([
      'look: started',
      'look: passed',
      'fail over: started',
      'fail over: passed',
      'degrade: started',
      'degrade: passed',
      'check: started',
      'check: passed',
    ]);
    expect(lab.records[0]).toEqual({ runbook: 'three-steps', step: 'look', status: 'started', output: '$ lab status' });
  });

  it('when a step fails, then the steps that acted are rolled back newest first and the rest are skipped', async () => {
    const lab = fakeLab({ 'probe up == 1': [{ ok: false, output: 'empty result' }] });
    const outcome = await runRunbook(plan(threeSteps), { ...lab, sleep: noWait });
    expect(outcome).toMatchObject({ ok: false, failedStep: 'check' });
    expect(lab.calls.slice(4)).toEqual(['lever flag api.degraded-mode false', 'lever flag payments.secondary-gateway false']);
    expect(lab.statuses().slice(6)).toEqual(['check: started', 'check: failed', 'degrade: rolled-back', 'fail over: rolled-back']);
    expect(outcome.steps.map((s) => `${s.name}: ${s.status}`)).toEqual(['look: passed', 'fail over: rolled-back', 'degrade: rolled-back', 'check: failed']);
  });

  it('when a middle step fails, then later steps are recorded as skipped and never run', async () => {
    const lab = fakeLab({ 'lever flag api.degraded-mode true': [{ ok: false, output: 'refused' }] });
    const outcome = await runRunbook(plan(threeSteps), { ...lab, sleep: noWait });
    expect(outcome.failedStep).toBe('degrade');
    expect(lab.calls).not.toContain('probe up == 1');
    // The failed lever did not act, so only the step before it is undone.
    expect(lab.statuses().slice(4)).toEqual(['degrade: started', 'degrade: failed', 'fail over: rolled-back', 'check: skipped']);
    expect(lab.records.at(-1)).toMatchObject({ output: 'not run: step "degrade" failed' });
  });

  it('when a step fails twice and passes on its third attempt within its retries, then it passes after waiting between attempts', async () => {
    const lab = fakeLab({
      'command flaky': [
        { ok: false, output: 'no' },
        { ok: false, output: 'no' },
        { ok: true, output: 'yes' },
      ],
    });
    const waits: number[] = [];
    const file = { name: 'retrying', title: 'Retrying', kind: 'diagnostic', steps: [{ name: 'flaky', command: 'flaky', retries: 2, retryDelay: '3s' }] };
    const outcome = await runRunbook(plan(file), { ...lab, sleep: async (ms) => void waits.push(ms) });
    expect(outcome.ok).toBe(true);
    expect(lab.calls).toEqual(['command flaky', 'command flaky', 'command flaky']);
    expect(waits).toEqual([3000, 3000]);
  });

  it('when a step keeps failing past its retries, then it fails saying how many attempts it made', async () => {
    const lab = fakeLab({
      'command flaky': [
        { ok: false, output: 'no' },
        { ok: false, output: 'still no' },
      ],
    });
    const file = { name: 'retrying', title: 'Retrying', kind: 'diagnostic', steps: [{ name: 'flaky', command: 'flaky', retries: 1 }] };
    const outcome = await runRunbook(plan(file), { ...lab, sleep: noWait });
    expect(outcome.steps[0]).toMatchObject({ status: 'failed', output: 'still no\n(failed 2 attempts)' });
  });

  it('when an executor hangs past the timeout, then the attempt fails as timed out and its signal is aborted', async () => {
    const lab = fakeLab({ 'command sleep': ['hang'] });
    const file = { name: 'slow', title: 'Slow', kind: 'diagnostic', steps: [{ name: 'slow', command: 'sleep', timeout: '50ms' }] };
    const started = Date.now();
    const outcome = await runRunbook(plan(file), { ...lab, sleep: noWait });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.steps[0]).toMatchObject({ status: 'failed', output: 'timed out after 50 ms' });
  });

  it('when an executor throws, then the step fails with the error message rather than the run crashing', async () => {
    const lab = fakeLab({ 'lever restart worker': ['throw'] });
    const file = { name: 'boom', title: 'Boom', kind: 'remediation', steps: [{ name: 'restart', lever: 'restart worker' }] };
    const outcome = await runRunbook(plan(file), { ...lab, sleep: noWait });
    expect(outcome.steps[0]).toMatchObject({ status: 'failed', output: 'lever restart worker exploded' });
  });

  it("when a step's action works but its verify fails, then the step itself is rolled back too", async () => {
    const lab = fakeLab({ 'probe p95 < 0.3': [{ ok: false, output: 'empty result' }] });
    const file = {
      name: 'verify',
      title: 'Verify',
      kind: 'emergency',
      steps: [
        {
          name: 'fraud check off',
          lever: 'flag payments.fraud-check false',
          verify: { probe: { promql: 'p95 < 0.3' } },
          rollback: { lever: 'flag payments.fraud-check true' },
        },
      ],
    };
    const outcome = await runRunbook(plan(file), { ...lab, sleep: noWait });
    expect(lab.calls).toEqual(['lever flag payments.fraud-check false', 'probe p95 < 0.3', 'lever flag payments.fraud-check true']);
    expect(lab.statuses()).toEqual(['fraud check off: started', 'fraud check off: failed', 'fraud check off: rolled-back']);
    expect(outcome.steps[0]!.status).toBe('rolled-back');
  });

  it('when a prerequisite check fails, then the step fails without acting', async () => {
    const lab = fakeLab({ 'probe errors > 0.1': [{ ok: false, output: 'empty result' }] });
    const file = {
      name: 'prereq',
      title: 'Prerequisite',
      kind: 'remediation',
      steps: [{ name: 'fail over', lever: 'failover payments', requires: [{ probe: { promql: 'errors > 0.1' } }] }],
    };
    const outcome = await runRunbook(plan(file), { ...lab, sleep: noWait });
    expect(lab.calls).toEqual(['probe errors > 0.1']);
    expect(outcome.steps[0]!.output).toMatch(/^prerequisite not met: probe: errors > 0.1\nempty result/);
  });

  it('when a rollback itself fails, then that step is recorded failed and the problem is reported', async () => {
    const lab = fakeLab({ 'probe up == 1': [{ ok: false, output: 'down' }], 'lever flag api.degraded-mode false': [{ ok: false, output: 'supervisor away' }] });
    const outcome = await runRunbook(plan(threeSteps), { ...lab, sleep: noWait });
    expect(lab.statuses().slice(8)).toEqual(['degrade: failed', 'fail over: rolled-back']);
    expect(outcome.problems).toEqual(['rolling back step "degrade" failed: supervisor away']);
  });

  it('when the lab does not record a step starting, then the step is not run and nothing after it either', async () => {
    const lab = fakeLab({});
    const recorder = {
      async record(step: RunbookStepRecord) {
        if (step.step === 'degrade' && step.status === 'started') throw new Error('503');
        lab.records.push(step);
      },
    };
    const outcome = await runRunbook(plan(threeSteps), { executors: lab.executors, recorder, sleep: noWait });
    expect(outcome.failedStep).toBe('degrade');
    expect(lab.calls).toEqual(['command lab status', 'lever failover payments', 'lever flag payments.secondary-gateway false']);
    expect(outcome.problems[0]).toMatch(/step "degrade" started, but the lab did not record it: 503/);
  });

  it('when a command prints more than 2 kB, then the recorded output is its end, within 2 kB', async () => {
    const long = `${'x'.repeat(5000)}\nthe error at the end`;
    const lab = fakeLab({ 'command noisy': [{ ok: false, output: long }] });
    const file = { name: 'noisy', title: 'Noisy', kind: 'diagnostic', steps: [{ name: 'noisy', command: 'noisy' }] };
    await runRunbook(plan(file), { ...lab, sleep: noWait });
    const failed = lab.records.find((r) => r.status === 'failed')!;
    expect(Buffer.byteLength(failed.output)).toBeLessThanOrEqual(2048);
    expect(failed.output.startsWith('…')).toBe(true);
    expect(failed.output.endsWith('the error at the end')).toBe(true);
  });
});

describe('a dry run', () => {
  it('when asked, then it checks prerequisites only, records nothing, and shows each step as it would run', async () => {
    const lab = fakeLab({ 'probe errors > 0.1': [{ ok: false, output: 'empty result' }] });
    const file = {
      name: 'dry',
      title: 'Dry',
      kind: 'remediation',
      parameters: { service: { description: 'which', values: ['api', 'payments'] } },
      steps: [
        { name: 'look', command: 'lab releases {{service}}' },
        {
          name: 'roll back',
          lever: 'rollback {{service}}',
          requires: ['look', { probe: { promql: 'errors > 0.1' } }],
          verify: { probe: { promql: 'p95 < 0.3' }, retries: 2, retryDelay: '10s' },
        },
      ],
    };
    const dry = await dryRunRunbook(plan(file, { service: 'payments' }), lab.executors);
    expect(lab.calls).toEqual(['probe errors > 0.1']);
    expect(lab.records).toEqual([]);
    expect(dry.ok).toBe(false);
    expect(dry.steps).toEqual([
      { name: 'look', action: "$ lab releases 'payments'", after: [], prerequisites: [], verify: undefined, rollback: undefined },
      {
        name: 'roll back',
        action: 'lever: rollback payments',
        after: ['look'],
        prerequisites: [{ check: 'probe: errors > 0.1', ok: false, output: 'empty result' }],
        verify: 'probe: p95 < 0.3 (up to 3 tries, 10000 ms apart)',
        rollback: undefined,
      },
    ]);
  });
});

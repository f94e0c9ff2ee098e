import { setTimeout as delay } from 'node:timers/promises';
import type { RunbookExecutors, ExecutorResult, StepRecorder } from './runbook-executors.ts';
import { describeAction, type Attempts, type PlannedCheck, type PlannedStep, type RunbookPlan, type StepAction } from './runbook-plan.ts';
import { outputExcerpt, type RunbookStepStatus } from './runbook-step-record.ts';

/**
 * Runs a planned runbook: steps in order, each with its prerequisites, its retries and timeout,
 * and its verify check; every status change is recorded (started, passed, failed, rolled-back,
 * skipped). At the first failed step the runner stops, undoes the steps that acted, newest first,
 * with their `rollback`, and records the steps it never ran as skipped. No CLI here: the CLI and
 * the bot plug in executors and a recorder.
 */

export interface RunbookRunOptions {
  executors: RunbookExecutors;
  recorder: StepRecorder;
  /** Waits between attempts; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
}

export interface StepOutcome {
  name: string;
  status: RunbookStepStatus;
  output: string;
}

export interface RunbookOutcome {
  runbook: string;
  ok: boolean;
  /** The step that failed, when one did. */
  failedStep: string | undefined;
  /** Each step's last status, in the runbook's order. */
  steps: StepOutcome[];
  /** What went wrong besides the failed step: a rollback that failed, a status the journal refused. */
  problems: string[];
}

export async function runRunbook(plan: RunbookPlan, options: RunbookRunOptions): Promise<RunbookOutcome> {
  const { executors, recorder } = options;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const outcomes = new Map<string, StepOutcome>();
  const problems: string[] = [];
  const record = async (step: string, status: RunbookStepStatus, output: string): Promise<boolean> => {
    const excerpt = outputExcerpt(output);
    outcomes.set(step, { name: step, status, output: excerpt });
    try {
      await recorder.record({ runbook: plan.runbook, step, status, output: excerpt });
      return true;
    } catch (error) {
      problems.push(`step "${step}" ${status}, but the lab did not record it: ${messageOf(error)}`);
      return false;
    }
  };

  /** Steps whose action ran, to undo if a later one fails. */
  const acted: PlannedStep[] = [];
  let failed: PlannedStep | undefined;
  for (const step of plan.steps) {
    // The runner does not act unrecorded: if the start cannot be journalled, the step fails unrun.
    if (!(await record(step.name, 'started', describeAction(step.action)))) {
      outcomes.set(step.name, { name: step.name, status: 'failed', output: 'not run: the lab did not record its start' });
      failed = step;
      break;
    }
    const result = await runStep(step, executors, sleep);
    if (result.acted) acted.push(step);
    await record(step.name, result.ok ? 'passed' : 'failed', result.output);
    if (!result.ok) {
      failed = step;
      break;
    }
  }

  if (failed) {
    for (const step of [...acted].reverse()) {
      if (!step.rollback) continue;
      const undo = await attempt(step.rollback.action, { timeoutMs: step.rollback.timeoutMs, retries: 0, retryDelayMs: 0 }, executors, sleep);
      const what = describeAction(step.rollback.action);
      if (undo.ok) await record(step.name, 'rolled-back', `${what}\n${undo.output}`);
      else {
        problems.push(`rolling back step "${step.name}" failed: ${undo.output}`);
        await record(step.name, 'failed', `rollback failed: ${what}\n${undo.output}`);
      }
    }
    const at = plan.steps.indexOf(failed);
    for (const step of plan.steps.slice(at + 1)) await record(step.name, 'skipped', `not run: step "${failed.name}" failed`);
  }

  return {
    runbook: plan.runbook,
    ok: failed === undefined,
    failedStep: failed?.name,
    steps: plan.steps.flatMap((step) => outcomes.get(step.name) ?? []),
    problems,
  };
}

/** One step: prerequisites, the action with its retries, then verify. `acted` when the action itself succeeded. */
async function runStep(step: PlannedStep, executors: RunbookExecutors, sleep: (ms: number) => Promise<void>): Promise<ExecutorResult & { acted: boolean }> {
  for (const prerequisite of step.prerequisites) {
    const met = await attempt(prerequisite.action, prerequisite, executors, sleep);
    if (!met.ok) return { ok: false, acted: false, output: `prerequisite not met: ${describeAction(prerequisite.action)}\n${met.output}` };
  }
  const done = await attempt(step.action, step, executors, sleep);
  if (!done.ok) return { ok: false, acted: false, output: done.output };
  if (!step.verify) return { ok: true, acted: true, output: done.output };
  const verified = await attempt(step.verify.action, step.verify, executors, sleep);
  const output = [done.output, `verify: ${describeAction(step.verify.action)}`, verified.output].filter(Boolean).join('\n');
  return { ok: verified.ok, acted: true, output: verified.ok ? output : `${output}\nverify failed` };
}

/** Tries an action up to 1 + retries times, each within its timeout; the last attempt's result. */
async function attempt(action: StepAction, attempts: Attempts, executors: RunbookExecutors, sleep: (ms: number) => Promise<void>): Promise<ExecutorResult> {
  let last: ExecutorResult = { ok: false, output: 'not tried' };
  for (let n = 0; n <= attempts.retries; n++) {
    if (n > 0) await sleep(attempts.retryDelayMs);
    last = await once(action, attempts.timeoutMs, executors);
    if (last.ok) return last;
  }
  return attempts.retries > 0 ? { ok: false, output: `${last.output}\n(failed ${attempts.retries + 1} attempts)` } : last;
}

/** One attempt, never longer than its timeout even if the executor ignores the signal. */
async function once(action: StepAction, timeoutMs: number, executors: RunbookExecutors): Promise<ExecutorResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ExecutorResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({ ok: false, output: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const options = { timeoutMs, signal: controller.signal };
  const work = (async (): Promise<ExecutorResult> => {
    try {
      if (action.kind === 'command') return await executors.runCommand(action.command, options);
      if (action.kind === 'lever') return await executors.applyLever(action.lever, options);
      return await executors.checkProbe(action.probe, options);
    } catch (error) {
      return { ok: false, output: messageOf(error) };
    }
  })();
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface DryRunStep {
  name: string;
  action: string;
  after: string[];
  prerequisites: Array<{ check: string; ok: boolean; output: string }>;
  verify: string | undefined;
  rollback: string | undefined;
}

/**
 * The plan without acting: each step as it would run, and its prerequisite checks evaluated once
 * against the lab as it is now (a prerequisite meant to hold only after an earlier step may fail
 * here). Nothing is recorded: nothing happened.
 */
export async function dryRunRunbook(plan: RunbookPlan, executors: RunbookExecutors): Promise<{ ok: boolean; steps: DryRunStep[] }> {
  const steps: DryRunStep[] = [];
  for (const step of plan.steps) {
    const prerequisites = [];
    for (const check of step.prerequisites) {
      const result = await once(check.action, check.timeoutMs, executors);
      prerequisites.push({ check: describeAction(check.action), ok: result.ok, output: outputExcerpt(result.output) });
    }
    steps.push({
      name: step.name,
      action: describeAction(step.action),
      after: step.after,
      prerequisites,
      verify: step.verify ? describeCheck(step.verify) : undefined,
      rollback: step.rollback ? describeAction(step.rollback.action) : undefined,
    });
  }
  return { ok: steps.every((step) => step.prerequisites.every((p) => p.ok)), steps };
}

function describeCheck(check: PlannedCheck): string {
  return `${describeAction(check.action)}${check.retries > 0 ? ` (up to ${check.retries + 1} tries, ${check.retryDelayMs} ms apart)` : ''}`;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

import type { Probe } from '../scenario/scenario-schema.ts';
import type { RunbookStepRecord } from './runbook-step-record.ts';

/**
 * How a runbook acts on the lab, plugged in by whoever runs it (the CLI, the bot, a test): the
 * runner decides what to do and when; these do it with the caller's identity. Each may throw or
 * answer `ok: false`; either is a failed attempt. `signal` aborts an attempt that ran out of time.
 */
export interface RunbookExecutors {
  /** A shell command; ok when it exits 0; output is what it printed (stdout and stderr). */
  runCommand(command: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<ExecutorResult>;
  /** A lever through the ops API (POST /api/levers), as the caller. */
  applyLever(lever: string, options: { signal: AbortSignal }): Promise<ExecutorResult>;
  /** A PromQL or HTTP probe (scenario/probes.ts evaluates them). */
  checkProbe(probe: Probe, options: { timeoutMs: number; signal: AbortSignal }): Promise<ExecutorResult>;
}

export interface ExecutorResult {
  ok: boolean;
  output: string;
}

/** Where each step's status goes: POST /api/runbooks/steps, so it lands on the team's timeline with the server's time. */
export interface StepRecorder {
  record(step: RunbookStepRecord): Promise<void>;
}

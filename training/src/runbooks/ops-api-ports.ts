import type { ExecutorResult, StepRecorder } from './runbook-executors.ts';
import type { RunbookStepRecord } from './runbook-step-record.ts';

/**
 * The two things a runbook asks of the training process's ops API, over whatever HTTP client the
 * caller has (the CLI's, with the operator or a trainee token; the bot's): pull a lever, and record
 * a step on the team's timeline. One place knows the paths.
 */
export interface OpsApiPost {
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>;
}

/**
 * `team`: in a class, the team whose shop the lever acts on and whose timeline the step goes on
 * (the operator's or instructor's pick; a trainee's is its own, which the server checks). None in
 * a single lab, whose one shop names no team.
 */
export function opsApiLever(http: OpsApiPost, team?: string) {
  return async (lever: string, options: { signal: AbortSignal }): Promise<ExecutorResult> => {
    const outcome = await http.post<{ summary: string }>('/api/levers', { lever, ...(team !== undefined && { team }) }, options.signal);
    return { ok: true, output: outcome.summary };
  };
}

export function opsApiStepRecorder(http: OpsApiPost, team?: string): StepRecorder {
  return {
    async record(step: RunbookStepRecord) {
      await http.post('/api/runbooks/steps', { ...step, ...(team !== undefined && { team }) });
    },
  };
}

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

export function opsApiLever(http: OpsApiPost) {
  return async (lever: string, options: { signal: AbortSignal }): Promise<ExecutorResult> => {
    const outcome = await http.post<{ summary: string }>('/api/levers', { lever }, options.signal);
    return { ok: true, output: outcome.summary };
  };
}

export function opsApiStepRecorder(http: OpsApiPost): StepRecorder {
  return {
    async record(step: RunbookStepRecord) {
      await http.post('/api/runbooks/steps', step);
    },
  };
}

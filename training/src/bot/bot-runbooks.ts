import { loadRunbook, runbookFile } from '../runbooks/load-runbook.ts';
import type { RunbookExecutors, StepRecorder } from '../runbooks/runbook-executors.ts';
import { planRunbook } from '../runbooks/runbook-plan.ts';
import { runRunbook, type RunbookOutcome } from '../runbooks/runbook-runner.ts';
import type { RunbookChoice } from './runbook-choice.ts';
import type { TraineeClients } from './trainee-clients.ts';

export type RunbookClients = Pick<TraineeClients, 'pullLever' | 'recordRunbookStep' | 'promqlHolds' | 'httpStatus'>;

/**
 * The runbook runner's executors backed by the bot's trainee clients: levers through the ops API
 * with the operator token, probes through Prometheus' query API and the shop's own endpoints, and
 * every step recorded on the team's timeline. The remediation runbooks the bot runs have no shell
 * commands; a command step is refused rather than run, so the bot never executes what a file
 * says on the machine it runs on.
 */
export function botExecutors(clients: RunbookClients): { executors: RunbookExecutors; recorder: StepRecorder } {
  return {
    executors: {
      async runCommand(command) {
        return { ok: false, output: `the bot runs no shell commands (${command}); it reads the same signals through Prometheus` };
      },
      async applyLever(lever) {
        const outcome = await clients.pullLever(lever);
        return { ok: true, output: outcome.summary };
      },
      async checkProbe(probe) {
        if (probe.kind === 'promql') return clients.promqlHolds(probe.promql);
        if (probe.kind === 'http') {
          const status = await clients.httpStatus(probe.service, probe.path);
          return { ok: status === probe.status, output: `GET ${probe.service} ${probe.path} → ${status} (want ${probe.status})` };
        }
        return { ok: false, output: 'the bot has no database access (a trainee has none)' };
      },
    },
    recorder: { record: (step) => clients.recordRunbookStep(step) },
  };
}

export interface BotRunbookOutcome extends RunbookOutcome {
  /** Whether any lever step acted (false: it stopped at a prerequisite, nothing changed). */
  acted: boolean;
}

/** Loads, plans and runs one runbook of docs/runbooks/ (or `dir`) with the bot's executors. */
export async function runBotRunbook(choice: RunbookChoice, clients: RunbookClients, dir?: string): Promise<BotRunbookOutcome> {
  const { runbook } = loadRunbook(runbookFile(choice.runbook, dir));
  const planned = planRunbook(runbook, choice.params);
  if (!planned.ok) throw new Error(`runbook ${choice.runbook}: ${planned.errors.join('; ')}`);
  const outcome = await runRunbook(planned.plan, botExecutors(clients));
  const leverSteps = new Set(planned.plan.steps.filter((s) => s.action.kind === 'lever').map((s) => s.name));
  // A lever step that failed may have failed in its verify after acting; only 'skipped' or absent is certain not to have acted.
  const acted = outcome.steps.some((s) => leverSteps.has(s.name) && s.status !== 'skipped');
  return { ...outcome, acted };
}

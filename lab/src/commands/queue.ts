import type { QueueJobView, QueueView } from '@firedrill/queue-contract';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient, type LeverOutcome } from '../cli/training-client.ts';

/**
 * `lab queue`: what the fulfilment queue holds, and the runbook's way out of a crash loop:
 * `lab queue dead-letter <job id>` moves a poison job out of the queue into the dead-letter
 * queue, where it is kept for the post-incident review instead of being retried. Both go through
 * the training API (GET /api/queue, the dead-letter lever) with the caller's token: a trainee's
 * is its own team's queue and its dead-letter is on its team's timeline; the Redis password stays
 * the lab's.
 */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'show the fulfilment queue; `lab queue dead-letter <job id>` moves a poison job aside',
  usage: "lab queue [dead-letter <job id>] [--json] [--team T]   (--team T: in a class, whose shop; a trainee's is its own)",
  options: { json: { type: 'boolean' }, team: { type: 'string' } },
  positionals: { min: 0, max: 2 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const [action, jobId] = positionals;
    if (action !== undefined && action !== 'dead-letter') throw new UsageError(`unknown queue action "${action}"; usage: ${queueCommand.usage}`);
    if (action === 'dead-letter' && !jobId) throw new UsageError('name the job to dead-letter (`lab queue` lists the active ones)');
    const team = typeof values.team === 'string' ? values.team : undefined;
    const training = trainingClient(lab, config);

    if (action === 'dead-letter') {
      const outcome = await training.post<LeverOutcome>('/api/levers', { lever: `dead-letter ${jobId}`, ...(team && { team }) });
      result(values.json ? JSON.stringify(outcome, null, 2) : outcome.summary);
      return exitCodes.ok;
    }
    const view = await training.get<QueueView>(`/api/queue${team ? `?${new URLSearchParams({ team })}` : ''}`);
    if (values.json) result(JSON.stringify(view, null, 2));
    else for (const line of queueLines(view)) result(line);
    return exitCodes.ok;
  },
};

/** The queue as an on-call engineer reads it: the counts on one line, then each active and failed job. */
export function queueLines(view: QueueView): string[] {
  const order = (job: QueueJobView) => (typeof job.orderId === 'string' ? job.orderId : '(none in payload)');
  return [
    `${view.queue}: ${Object.entries(view.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; dead-lettered ${view.deadLettered}`,
    ...view.active.map((job) => `  active  ${job.id}  order ${order(job)}  attempts ${job.attemptsMade}  stalled ${job.stalled}x  age ${job.ageSeconds}s`),
    ...view.recentlyFailed.map((job) => `  failed  ${job.id}  ${job.failedReason}`),
  ];
}

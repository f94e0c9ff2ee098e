import { Redis } from 'ioredis';
import type { Queue as BullQueue } from 'bullmq';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { deadLetterJob, deadLetterQueueName, fulfilmentQueueName as queueName } from '@firedrill/queue-contract';
import { runningLab } from '../cli/running-lab.ts';
import { redisAdminCredentials, redisUrlAs } from '../topology/redis-users.ts';

/** A job held by a crashed worker keeps its lock until the lock expires (JOB_LOCK_MS, 10 s by default). */
const lockWaitMs = 60_000;

/**
 * `lab queue`: what the fulfilment queue holds, and the runbook's way out of a crash loop:
 * `lab queue dead-letter <job id>` moves a poison job out of the queue into the dead-letter
 * queue, where it is kept for the post-incident review instead of being retried.
 */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'show the fulfilment queue; `lab queue dead-letter <job id>` moves a poison job aside',
  usage: 'lab queue [dead-letter <job id>] [--json]',
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 2 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const [action, jobId] = positionals;
    if (action !== undefined && action !== 'dead-letter') throw new UsageError(`unknown queue action "${action}"; usage: ${queueCommand.usage}`);
    if (action === 'dead-letter' && !jobId) throw new UsageError('name the job to dead-letter (`lab queue` lists the active ones)');

    const { Queue } = await import('bullmq');
    const connection = new Redis(redisUrlAs(labRedisUser(config.stateDir), lab.ports.redis), { maxRetriesPerRequest: null });
    const queue = new Queue(queueName, { prefix: config.queuePrefix, connection });
    const deadLetters = new Queue(deadLetterQueueName, { prefix: config.queuePrefix, connection });
    try {
      if (action === 'dead-letter') return await deadLetter(connection, config.queuePrefix, jobId!);
      return await show(queue, deadLetters, values.json === true);
    } finally {
      await Promise.allSettled([queue.close(), deadLetters.close()]);
      connection.disconnect();
    }
  },
};

/** The lab's Redis user: its password is in the lab's secrets, which only the lab's user reads. */
function labRedisUser(stateDir: string) {
  try {
    return redisAdminCredentials({ stateDir });
  } catch (err) {
    throw new LabRefusal(
      `lab queue reads the queue as the lab's Redis user, whose password only the lab's user may read (${(err as Error).message}); a trainee uses redis-cli (read-only) and \`lab lever dead-letter <job id>\``,
    );
  }
}

async function show(queue: BullQueue, deadLetters: BullQueue, json: boolean): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed');
  const active = await queue.getJobs(['active'], 0, 19);
  const failed = await queue.getJobs(['failed'], 0, 9);
  const deadLettered = await deadLetters.getJobCountByTypes('wait');
  const describe = (job: (typeof active)[number]) => ({
    id: job.id,
    orderId: (job.data as { orderId?: unknown }).orderId ?? null,
    attemptsMade: job.attemptsMade,
    stalled: job.stalledCounter,
    ageSeconds: Math.round((Date.now() - job.timestamp) / 1000),
    failedReason: job.failedReason || null,
  });
  if (json) {
    result(JSON.stringify({ queue: queueName, counts, deadLettered, active: active.map(describe), recentlyFailed: failed.map(describe) }, null, 2));
    return exitCodes.ok;
  }
  result(
    `${queueName}: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; dead-lettered ${deadLettered}`,
  );
  for (const job of active.map(describe)) {
    result(`  active  ${job.id}  order ${job.orderId ?? '(none in payload)'}  attempts ${job.attemptsMade}  stalled ${job.stalled}x  age ${job.ageSeconds}s`);
  }
  for (const job of failed.map(describe)) result(`  failed  ${job.id}  ${job.failedReason}`);
  return exitCodes.ok;
}

async function deadLetter(connection: Redis, prefix: string, jobId: string): Promise<number> {
  const outcome = await deadLetterJob(connection, prefix, jobId, {
    lockWaitMs,
    onLocked: () => progress(`lab: job ${jobId} is locked by a worker; waiting for the lock to expire`),
  });
  if (outcome === 'not_found') {
    progress(`lab: no job ${jobId} in the ${queueName} queue`);
    return exitCodes.failed;
  }
  result(`moved job ${jobId} to the ${deadLetterQueueName} queue; it will not be retried`);
  return exitCodes.ok;
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { fulfilmentQueueName } from './fulfilment-queue.ts';

/** Where poison jobs are kept for the post-incident review instead of being retried. */
export const deadLetterQueueName = `${fulfilmentQueueName}-dead-letter`;

/** A worker still held the job's lock when the wait ran out. */
export class JobLockedError extends Error {
  override name = 'JobLockedError';
}

export interface DeadLetterOptions {
  /** How long to wait for a worker's lock on the job to expire (a crashed worker's lock lasts JOB_LOCK_MS). */
  lockWaitMs: number;
  /** Called once when the job turns out to be locked, before waiting. */
  onLocked?: () => void;
}

/**
 * The runbook's way out of a crash loop: moves job `jobId` out of the fulfilment queue into the
 * dead-letter queue, where it is kept instead of being retried. Used by `lab queue dead-letter`
 * and by the training process's dead-letter lever.
 */
export async function deadLetterJob(connection: Redis, prefix: string, jobId: string, options: DeadLetterOptions): Promise<'moved' | 'not_found'> {
  const queue = new Queue(fulfilmentQueueName, { prefix, connection, skipVersionCheck: true });
  const deadLetters = new Queue(deadLetterQueueName, { prefix, connection, skipVersionCheck: true });
  try {
    const job = await queue.getJob(jobId);
    if (!job) return 'not_found';
    const deadline = Date.now() + options.lockWaitMs;
    for (let said = false; ; said = true) {
      try {
        await job.remove();
        break;
      } catch (err) {
        // A worker (perhaps one that just crashed) still holds the job's lock.
        if (!/locked/i.test((err as Error).message)) throw err;
        if (Date.now() > deadline) throw new JobLockedError(`job ${jobId} is still locked by a worker after ${Math.round(options.lockWaitMs / 1000)} s`);
        if (!said) options.onLocked?.();
        await sleep(500);
      }
    }
    await deadLetters.add(job.name, job.data, { jobId, removeOnComplete: false, removeOnFail: false });
    return 'moved';
  } finally {
    await Promise.allSettled([queue.close(), deadLetters.close()]);
  }
}

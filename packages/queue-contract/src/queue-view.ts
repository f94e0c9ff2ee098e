import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deadLetterQueueName } from './dead-letter.ts';
import { fulfilmentQueueName } from './fulfilment-queue.ts';

/** A job as an on-call engineer looks at it: which order, how often tried, how old, why it failed. */
export interface QueueJobView {
  id: string | null;
  orderId: unknown;
  attemptsMade: number;
  stalled: number;
  ageSeconds: number;
  failedReason: string | null;
}

/** What `lab queue` shows: the fulfilment queue's counts, its active and recently failed jobs, the dead letters. */
export interface QueueView {
  queue: string;
  counts: Record<string, number>;
  deadLettered: number;
  active: QueueJobView[];
  recentlyFailed: QueueJobView[];
}

/**
 * Reads one shop's fulfilment queue (its key `prefix`) on a connection the caller owns: the
 * queues made here share it and leave it open when they close.
 */
export async function readQueueView(connection: Redis, prefix: string, now = Date.now()): Promise<QueueView> {
  const queue = new Queue(fulfilmentQueueName, { prefix, connection });
  const deadLetters = new Queue(deadLetterQueueName, { prefix, connection });
  try {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed');
    const active = await queue.getJobs(['active'], 0, 19);
    const failed = await queue.getJobs(['failed'], 0, 9);
    const deadLettered = await deadLetters.getJobCountByTypes('wait');
    const describe = (job: (typeof active)[number]): QueueJobView => ({
      id: job.id ?? null,
      orderId: (job.data as { orderId?: unknown } | undefined)?.orderId ?? null,
      attemptsMade: job.attemptsMade,
      stalled: job.stalledCounter,
      ageSeconds: Math.round((now - job.timestamp) / 1000),
      failedReason: job.failedReason || null,
    });
    return { queue: fulfilmentQueueName, counts, deadLettered, active: active.map(describe), recentlyFailed: failed.map(describe) };
  } finally {
    await Promise.allSettled([queue.close(), deadLetters.close()]);
  }
}

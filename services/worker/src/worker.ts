import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { inSpan, type Logger } from '@firedrill/kit';
import { createConsumerConnection, fulfilmentQueueName, messagingAttributes, type FulfilOrderJobData } from '@firedrill/queue-contract';
import type { JobProcessor } from './jobs/job-wrapper.ts';

export interface FulfilmentWorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  processor: JobProcessor<FulfilOrderJobData, unknown>;
  logger: Logger;
}

/**
 * Owns the BullMQ consumer of the fulfilment queue and its Redis connection.
 *
 * Recovery from a dead worker is BullMQ's stalled-job check: a job whose lock (lockDuration) was
 * not renewed is put back to wait by any live worker. maxStalledCount is raised above the default
 * of 1 so a worker that crash-loops for a while does not fail a job for good.
 */
export class FulfilmentWorker {
  readonly #worker: Worker<FulfilOrderJobData>;
  readonly #connection: Redis;
  readonly #logger: Logger;
  #closing: Promise<void> | undefined;

  constructor(options: FulfilmentWorkerOptions) {
    this.#logger = options.logger;
    this.#connection = createConsumerConnection(options.redisUrl, options.logger);
    this.#worker = new Worker<FulfilOrderJobData>(fulfilmentQueueName, traced(options.processor), {
      connection: this.#connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 5,
    });
    this.#worker.on('error', (err) => options.logger.debug({ err }, 'worker error'));
    this.#worker.on('stalled', (jobId) => options.logger.warn({ jobId }, 'job stalled (its worker died or hung); requeued'));
    this.#worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        options.logger.error({ jobId: job.id, err: err.message, attempts: job.attemptsMade }, 'job failed for good; left in the failed set');
      }
    });
  }

  isRunning(): boolean {
    return this.#worker.isRunning() && !this.#closing;
  }

  /**
   * Stops taking jobs, lets active ones finish, then drops the connection. Every step runs even
   * if one fails; repeated calls share one run.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // With Redis unreachable no active job could be completed anyway, and BullMQ's orderly
      // close would wait for a connection that is not coming back: drop the connection first and
      // force-close, leaving any held job to the stalled-job check of another worker.
      const redisDown = this.#connection.status !== 'ready';
      const steps: [string, () => Promise<unknown>][] = redisDown
        ? [
            ['redis connection', async () => void this.#connection.disconnect()],
            ['bullmq worker', () => this.#worker.close(true)],
          ]
        : [
            ['bullmq worker', () => this.#worker.close()],
            ['redis connection', async () => void this.#connection.disconnect()],
          ];
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (err) {
          this.#logger.error({ err, step: name }, 'worker close step failed');
        }
      }
    })();
    return this.#closing;
  }
}

/**
 * Each attempt at a job is a span of the checkout's trace: its parent is the api's enqueueing,
 * whose context the job carries. Everything the job does (queries, log lines) nests under it.
 */
function traced(processor: JobProcessor<FulfilOrderJobData, unknown>): JobProcessor<FulfilOrderJobData, unknown> {
  return (job) =>
    inSpan(
      {
        name: `process ${fulfilmentQueueName}`,
        kind: 'consumer',
        parent: job.data.traceContext,
        attributes: { ...messagingAttributes('process', job.id), 'messaging.bullmq.attempt': job.attemptsMade + 1 },
      },
      () => processor(job),
    );
}

import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { env, inSpan, type Logger } from '@firedrill/kit';

/**
 * The fulfilment queue contract, shared by the api (producer), the worker (consumer) and the
 * lab's queue commands: queue `fulfilment`, job `fulfil-order`, data `{orderId}`, jobId = orderId
 * so that a duplicate enqueue (the outbox relay retrying after a lost acknowledgement) is a no-op.
 * Neither service imports the other: both import this.
 */
export const fulfilmentQueueName = 'fulfilment';
export const fulfilOrderJobName = 'fulfil-order';

/**
 * The payload of a `fulfil-order` job. The worker parses every job with it: a job that does not
 * match (a poison message) fails for good instead of being retried.
 */
export const fulfilOrderJobDataSchema = z.object({
  orderId: z.uuid(),
  /** W3C trace context of the enqueueing, so the worker's span joins the checkout's trace. */
  traceContext: z.record(z.string(), z.string()).optional(),
});

export type FulfilOrderJobData = z.infer<typeof fulfilOrderJobDataSchema>;

/** The settings both sides of the queue read: where it lives and its key prefix. */
export const queueSettings = {
  REDIS_URL: env.string('redis://127.0.0.1:7420'),
  /** BullMQ key prefix; the producer and the consumer must agree on it. */
  QUEUE_PREFIX: env.string('firedrill'),
};

/**
 * How often a fulfilment job is tried, and the first backoff. Job options are the producer's to
 * set (BullMQ stores them with the job), so only the api reads JOB_ATTEMPTS.
 */
export const fulfilOrderRetryPolicy = { attempts: 8, backoffMs: 1_000 } as const;

export type FulfilmentQueue = Queue<FulfilOrderJobData, void, typeof fulfilOrderJobName>;

/**
 * Options of every fulfilment job. Retries back off exponentially so a worker that fails on a
 * database outage does not burn its attempts in a second. Completed jobs are trimmed; failed ones
 * are kept longer, because a trainee will want to inspect them.
 */
export function fulfilOrderJobOptions(orderId: string, policy: { attempts: number; backoffMs: number }): JobsOptions {
  return {
    jobId: orderId,
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** One order to enqueue: its id and the trace context stored with its outbox message. */
export interface FulfilmentToSend {
  orderId: string;
  parent: unknown;
}

/**
 * Enqueues the fulfilment of a batch of orders in one round trip to Redis (`Queue.addBulk`: one
 * pipeline, one socket write, instead of one per order; docs/decisions/0003). Each send is still
 * a span of its own order's checkout (`parent`, the context stored with the outbox message), and
 * each job carries its own span's context to the worker. The one round trip runs in the oldest
 * order's send span, so its Redis spans show there (a batch of one traces exactly as one add did).
 *
 * All or nothing, as the caller sees it: it resolves when Redis took every job, and throws when
 * any was refused, without saying which (BullMQ rejects the pipeline on its first error). The
 * caller then treats the whole batch as not sent; sending a taken one again is a no-op (job id =
 * order id).
 */
export async function enqueueFulfilments(queue: FulfilmentQueue, orders: FulfilmentToSend[], policy: { attempts: number; backoffMs: number }): Promise<void> {
  const jobs: Array<{ name: typeof fulfilOrderJobName; data: FulfilOrderJobData; opts: JobsOptions }> = [];
  const allBuilt = Promise.withResolvers<void>();
  const added = Promise.withResolvers<void>();
  let built = 0;
  const sends = orders.map(({ orderId, parent }, i) =>
    inSpan({ name: `send ${fulfilmentQueueName}`, kind: 'producer', parent, attributes: messagingAttributes('send', orderId) }, async (traceContext) => {
      // Built inside its own span, so the job carries that span's context.
      const data: FulfilOrderJobData = Object.keys(traceContext).length > 0 ? { orderId, traceContext } : { orderId };
      jobs[i] = { name: fulfilOrderJobName, data, opts: fulfilOrderJobOptions(orderId, policy) };
      if (++built === orders.length) allBuilt.resolve();
      if (i === 0) {
        await allBuilt.promise;
        queue.addBulk(jobs).then(() => added.resolve(), added.reject);
      }
      // Every send span ends with the one round trip, failed if it was refused.
      await added.promise;
    }),
  );
  await Promise.all(sends);
}

/** OpenTelemetry messaging attributes of a fulfilment job, the same on both sides of the queue. */
export function messagingAttributes(operation: 'send' | 'process', jobId: string | undefined): Record<string, string> {
  return {
    'messaging.system': 'bullmq',
    'messaging.destination.name': fulfilmentQueueName,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    ...(jobId ? { 'messaging.message.id': jobId } : {}),
  };
}

/**
 * How every shop connection to Redis reconnects: for ever, backing off to at most every 2 s, so
 * Redis coming back is noticed within seconds whichever side lost it.
 */
export const reconnectForEver: Pick<RedisOptions, 'retryStrategy' | 'connectTimeout'> = {
  connectTimeout: 2_000,
  retryStrategy: (times: number) => Math.min(times * 200, 2_000),
};

/**
 * The producer's Redis connection. It must fail fast when Redis is down: with the offline queue
 * disabled and a command timeout, `Queue.add` rejects at once instead of hanging, so the outbox
 * relay can record the failure and try again on its next tick. (Order intake never waits on
 * Redis at all; the outbox carries the job until Redis is back.)
 */
export function createProducerConnection(redisUrl: string, logger: Logger, what = 'redis (queue producer)'): Redis {
  const redis = new Redis(redisUrl, { ...reconnectForEver, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000 });
  logConnectionChanges(redis, logger, what);
  return redis;
}

/**
 * The consumer's Redis connection. BullMQ's blocking commands need `maxRetriesPerRequest: null`
 * (a command waits for the connection to come back rather than failing the worker).
 */
export function createConsumerConnection(redisUrl: string, logger: Logger, what = 'redis (worker)'): Redis {
  const redis = new Redis(redisUrl, { ...reconnectForEver, maxRetriesPerRequest: null });
  logConnectionChanges(redis, logger, what);
  return redis;
}

/** Logs a lost and a restored connection once each, not every reconnect attempt in between. */
export function logConnectionChanges(redis: Redis, logger: Logger, what: string): void {
  let healthy = true;
  redis.on('error', (err: Error) => {
    if (!healthy) return;
    healthy = false;
    logger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, `${what} connection lost; reconnecting`);
  });
  redis.on('ready', () => {
    if (healthy) return;
    healthy = true;
    logger.info(`${what} connection restored`);
  });
}

export function createFulfilmentQueue(connection: Redis, prefix: string, logger: Logger): FulfilmentQueue {
  const queue: FulfilmentQueue = new Queue(fulfilmentQueueName, {
    connection,
    prefix,
    // Do not block start-up or the first add on a Redis that is down; fail the add instead.
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  // Connection errors are already logged by logConnectionChanges; an unhandled 'error' event
  // would otherwise be printed on every reconnect attempt.
  queue.on('error', (err) => logger.debug({ err }, 'fulfilment queue error'));
  return queue;
}

/** Readiness probe: PING, with a plain answer when the connection is not up at all. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`not connected (connection ${redis.status})`);
  await redis.ping();
}

/**
 * BullMQ's own Prometheus text for the queue (bullmq_job_count{queue,state} …), or a comment when
 * Redis cannot be reached, so /metrics still answers. Exported by both the api and the worker:
 * the queue's depth stays visible while the worker is down, which is when it matters.
 */
export async function queueMetricsText(queue: Queue): Promise<string> {
  try {
    return await queue.exportPrometheusMetrics();
  } catch (err) {
    return `# bullmq queue metrics unavailable: ${(err as Error).message.replaceAll('\n', ' ')}`;
  }
}

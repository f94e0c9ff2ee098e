import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, runMigrations } from '@firedrill/kit';
import { waitFor } from '@firedrill/lab-infra';
import { fulfilOrderJobName, fulfilOrderJobOptions, fulfilmentQueueName } from '@firedrill/queue-contract';
import { shopSchema } from '@firedrill/shop-schema';
import { startWorker, workerConfigSchema, type RunningWorker } from '../src/index.ts';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '@firedrill/lab-infra/testing';

const logger = createLogger('worker-test', process.env.TEST_LOG_LEVEL ?? 'silent');

describe('fulfilment worker', () => {
  let db: pg.Pool;
  let worker: RunningWorker;
  let queue: Queue;
  let connection: Redis;

  async function paidOrder(status = 'paid'): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO shop.orders (id, idempotency_key, request_hash, customer_email, status, total_cents, currency, paid_at)
       VALUES ($1, $2, 'h', 'ada@approve.test', $3, 2490, 'EUR', now() - interval '1 second')`,
      [id, `key-${id}`, status],
    );
    return id;
  }

  const enqueue = (orderId: string, attempts = 3) => queue.add(fulfilOrderJobName, { orderId }, fulfilOrderJobOptions(orderId, { attempts, backoffMs: 50 }));

  async function finished(orderId: string) {
    return waitFor(
      `job ${orderId} finished`,
      async () => {
        const job = await queue.getJob(orderId);
        const state = await job?.getState();
        return (state === 'completed' || state === 'failed') && { job: job!, state };
      },
      { timeoutMs: 15_000 },
    );
  }

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('worker');
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await runMigrations(db, shopSchema, logger);
    const prefix = testQueuePrefix();
    connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue(fulfilmentQueueName, { connection, prefix });
    worker = await startWorker(
      workerConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, FULFIL_DURATION_MS: '5' }),
      { logger },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    connection?.disconnect();
    await db?.end();
  });

  it('when a paid order is queued, then it becomes fulfilled', async () => {
    const id = await paidOrder();
    await enqueue(id);

    const { state, job } = await finished(id);
    const { rows } = await db.query('SELECT status, fulfilled_at FROM shop.orders WHERE id = $1', [id]);

    expect(state).toBe('completed');
    expect(job.returnvalue).toBe('fulfilled');
    expect(rows[0]).toMatchObject({ status: 'fulfilled', fulfilled_at: expect.any(Date) });
  });

  it('when the job for an already fulfilled order runs again, then nothing changes', async () => {
    const id = await paidOrder('fulfilled');
    await db.query("UPDATE shop.orders SET fulfilled_at = '2026-01-01T00:00:00Z' WHERE id = $1", [id]);
    await enqueue(id);

    const { state, job } = await finished(id);
    const { rows } = await db.query('SELECT fulfilled_at FROM shop.orders WHERE id = $1', [id]);

    expect(state).toBe('completed');
    expect(job.returnvalue).toBe('already_fulfilled');
    expect(rows[0].fulfilled_at.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('when the order does not exist, then the job fails for good at once instead of retrying', async () => {
    const id = randomUUID();
    await enqueue(id, 5);

    const { state, job } = await finished(id);

    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('does not exist');
  });

  it('when probed, then live and ready are 200 naming postgres and redis', async () => {
    const live = await fetch(`${worker.url}/health/live`);
    const ready = await fetch(`${worker.url}/health/ready`);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.redis?.ok).toBe(true);
  });

  it('when metrics are scraped, then job counters, the heartbeat and BullMQ queue counts are there', async () => {
    const text = await (await fetch(`${worker.url}/metrics`)).text();

    expect(text).toMatch(/worker_jobs_processed_total\{[^}]*job="fulfil-order"[^}]*\} [1-9]/);
    expect(text).toMatch(/worker_jobs_failed_total\{[^}]*job="fulfil-order"[^}]*\} [1-9]/);
    expect(text).toContain('worker_job_duration_seconds_bucket');
    expect(text).toContain('order_fulfilment_seconds_bucket');
    expect(text).toMatch(/worker_heartbeat_timestamp_seconds\{[^}]*\} \d{10}/);
    expect(text).toMatch(/bullmq_job_count\{[^}]*queue="fulfilment"[^}]*state="completed"[^}]*\} [1-9]/);
  });
});

describe('worker shutdown', () => {
  it('when closed (twice), then it stops serving and both calls resolve', async () => {
    const databaseUrl = await createTestDatabase('worker');
    const worker = await startWorker(
      workerConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testQueuePrefix() }),
      { logger },
    );
    expect((await fetch(`${worker.url}/health/live`)).status).toBe(200);

    await Promise.all([worker.close(), worker.close()]);

    await expect(fetch(`${worker.url}/health/live`)).rejects.toThrow();
  });
});

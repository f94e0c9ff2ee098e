import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { inject } from 'vitest';
import { startManagedProcess, waitFor, type ManagedProcess } from '@firedrill/lab-infra';
import { fulfilmentQueueName } from '@firedrill/queue-contract';
import { uniqueName } from '@firedrill/lab-infra/testing';
import { Shop, anOrder, newKey, repoRoot, type Json } from './helpers/shop.ts';
import { OwnRedis } from './helpers/own-infra.ts';

async function waitUntilFulfilled(shop: Shop, ids: string[], timeoutMs = 30_000): Promise<Json[]> {
  return waitFor(
    `orders ${ids.join(', ')} fulfilled`,
    async () => {
      const orders = await Promise.all(ids.map((id) => shop.getOrder(id)));
      return orders.every((o) => o.status === 'fulfilled') && orders;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

describe('no accepted order is lost when Redis is down at intake', () => {
  let redis: OwnRedis;
  let shop: Shop;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    shop = await Shop.start({ redisUrl: redis.url });
    await shop.startWorker();
  });
  afterAll(async () => {
    await shop?.close();
    await redis?.stop();
  });

  it('when Redis is stopped, then orders are still accepted 201 paid, and all are fulfilled once Redis is back', async () => {
    await redis.stop();

    const answers = await Promise.all([1, 2, 3].map(() => shop.placeOrder(anOrder(), newKey())));
    const orders = (await Promise.all(answers.map((r) => r.json()))) as Json[];
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(orders.map((o) => o.status)).toEqual(['paid', 'paid', 'paid']);

    // The relay has tried and failed: the requests wait in the outbox, with the reason recorded.
    await shop.api.relayOutbox();
    const waiting = await shop.db.query<{ attempts: number; last_error: string }>(
      'SELECT attempts, last_error FROM shop.outbox WHERE dispatched_at IS NULL AND order_id = ANY($1::uuid[])',
      [orders.map((o) => o.id)],
    );
    expect(waiting.rowCount).toBe(3);
    expect(waiting.rows.some((r) => r.attempts > 0 && r.last_error)).toBe(true);
    const metrics = await (await fetch(`${shop.api.url}/metrics`)).text();
    expect(metrics).toMatch(/shop_outbox_backlog\{[^}]*\} 3/);

    await redis.restart();

    const fulfilled = await waitUntilFulfilled(
      shop,
      orders.map((o) => o.id),
    );
    expect(fulfilled.every((o) => o.fulfilledAt)).toBe(true);
    const left = await shop.db.query('SELECT 1 FROM shop.outbox WHERE dispatched_at IS NULL');
    expect(left.rowCount).toBe(0);
  });
});

describe('no accepted order is lost when the worker is killed mid-job', () => {
  let shop: Shop;
  let queue: Queue;
  let connection: Redis;
  let child: ManagedProcess | undefined;

  beforeAll(async () => {
    shop = await Shop.start();
    connection = new Redis(shop.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(fulfilmentQueueName, { connection, prefix: shop.queuePrefix });
  });
  afterEach(async () => {
    await child?.stop(2_000);
  });
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await shop?.close();
  });

  it('when the worker is SIGKILLed holding the job, then another worker fulfils the order, exactly once', async () => {
    child = startManagedProcess({
      name: 'worker-1',
      command: process.execPath,
      args: [path.join(repoRoot, 'services/worker/src/main.ts')],
      cwd: repoRoot,
      env: {
        ...process.env,
        ...shop.workerEnv(),
        PORT: '0',
        LOG_LEVEL: 'info',
        FULFIL_DURATION_MS: '4000',
        JOB_LOCK_MS: '1000',
        STALLED_INTERVAL_MS: '500',
      },
      logFile: path.join(inject('testStateDir'), `${uniqueName('worker')}.log`),
    });

    const res = await shop.placeOrder(anOrder(), newKey());
    const order = (await res.json()) as Json;
    expect(res.status).toBe(201);

    await waitFor('the job to be active in the first worker', async () => (await queue.getJob(order.id))?.getState().then((s) => s === 'active'), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    child.child.kill('SIGKILL');
    await child.exited;
    expect((await shop.getOrder(order.id)).status).toBe('paid');

    const second = await shop.startWorker({ FULFIL_DURATION_MS: '5', JOB_LOCK_MS: '1000', STALLED_INTERVAL_MS: '500' });
    // Stopped with the test: on a retry it would otherwise take the new job before the first worker.
    onTestFinished(() => second.close());
    const [fulfilled] = await waitUntilFulfilled(shop, [order.id]);

    expect(fulfilled.fulfilledAt).not.toBeNull();
    const job = await queue.getJob(order.id);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toBe('fulfilled');
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/order_fulfilment_seconds_count\{[^}]*\} 1\b/);
  });
});

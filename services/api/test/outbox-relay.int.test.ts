import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, createPool, createRegistry, migrateAtStartup, type Pool } from '@firedrill/kit';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { shopSchema } from '@firedrill/shop-schema';
import { insertPendingOrder, markOrderPaid } from '../src/data-access/order-repository.ts';
import type { OutboxMessage } from '../src/data-access/outbox-repository.ts';
import { createApiMetrics } from '../src/metrics.ts';
import { OutboxRelay } from '../src/outbox/outbox-relay.ts';

/**
 * The relay against a real Postgres: a batch is claimed and marked in one statement and committed
 * only after the queue took every message (decision 0002; the round trips it saves: 0003).
 */
describe('outbox relay', () => {
  const logger = createLogger('api', process.env.TEST_LOG_LEVEL ?? 'silent');
  let databaseUrl: string;
  let pool: Pool;
  let db: pg.Pool;
  const started = performance.now();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('relay');
    pool = createPool({ connectionString: databaseUrl, max: 2 }, logger);
    await migrateAtStartup(pool, shopSchema, logger);
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.end();
    console.log(`outbox-relay.int.test.ts: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  beforeEach(async () => {
    await db.query('TRUNCATE shop.outbox, shop.order_items, shop.orders');
  });

  /** Paid orders, each with its outbox message, oldest first. */
  async function paidOrders(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      await insertPendingOrder(pool, {
        id,
        idempotencyKey: randomUUID(),
        requestHash: 'h',
        customerEmail: 'ada@approve.test',
        items: [{ productId: 'mug-stoneware', quantity: 1, unitPriceCents: 1800 }],
        totalCents: 1800,
        currency: 'EUR',
      });
      await markOrderPaid(pool, id, randomUUID(), {});
      ids.push(id);
    }
    return ids;
  }

  async function outboxRows(): Promise<{ order_id: string; dispatched: boolean; attempts: number; last_error: string | null }[]> {
    const { rows } = await db.query('SELECT order_id, dispatched_at IS NOT NULL AS dispatched, attempts, last_error FROM shop.outbox ORDER BY id');
    return rows;
  }

  function relayTo(dispatch: (messages: OutboxMessage[]) => Promise<void>): OutboxRelay {
    return new OutboxRelay({ pool, dispatch, pollMs: 60_000, logger, metrics: createApiMetrics(createRegistry('api')) });
  }

  it('when the queue takes every message, then all are dispatched once, oldest first, attempts 1', async () => {
    const orders = await paidOrders(3);
    const sent: string[] = [];
    const batches: number[] = [];
    await relayTo(async (messages) => {
      batches.push(messages.length);
      sent.push(...messages.map((m) => m.orderId));
    }).runOnce();

    expect(batches).toEqual([3]);
    expect(sent).toEqual(orders);
    expect(await outboxRows()).toEqual(orders.map((order_id) => ({ order_id, dispatched: true, attempts: 1, last_error: null })));
  });

  it('when the queue refuses a batch (it may have taken some), then none is dispatched, the oldest records why, and the next pass sends them all', async () => {
    const orders = await paidOrders(3);
    const sent: string[] = [];
    let refuse = true;
    const relay = relayTo(async (messages) => {
      // Stands for addBulk's pipeline: the first job taken, the second refused (Redis out of memory).
      sent.push(messages[0]!.orderId);
      if (refuse) throw new Error('OOM command not allowed when used memory > maxmemory');
      sent.push(...messages.slice(1).map((m) => m.orderId));
    });

    await relay.runOnce();
    expect(await outboxRows()).toEqual([
      { order_id: orders[0], dispatched: false, attempts: 1, last_error: 'OOM command not allowed when used memory > maxmemory' },
      { order_id: orders[1], dispatched: false, attempts: 0, last_error: null },
      { order_id: orders[2], dispatched: false, attempts: 0, last_error: null },
    ]);

    refuse = false;
    await relay.runOnce();
    // The first is sent twice: the queue ignores the repeat (job id = order id).
    expect(sent).toEqual([orders[0], ...orders]);
    expect((await outboxRows()).map((r) => [r.dispatched, r.attempts, r.last_error])).toEqual([
      [true, 2, null],
      [true, 1, null],
      [true, 1, null],
    ]);
  });

  it('when the queue is down, then no message is dispatched and the first records why', async () => {
    await paidOrders(2);
    await relayTo(async () => {
      throw new Error('redis not connected');
    }).runOnce();
    expect((await outboxRows()).map((r) => [r.dispatched, r.attempts, r.last_error])).toEqual([
      [false, 1, 'redis not connected'],
      [false, 0, null],
    ]);
  });

  it('when the relay loses its database connection after the queue took the messages, then none is marked dispatched and the next pass sends them again', async () => {
    const orders = await paidOrders(2);
    const sent: string[] = [];
    let dieAfterSending = true;
    // Stands for the api dying between the queue's acknowledgement and the COMMIT.
    const relay = relayTo(async (messages) => {
      sent.push(...messages.map((m) => m.orderId));
      if (dieAfterSending) {
        await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      }
    });

    await relay.runOnce();
    expect((await outboxRows()).map((r) => r.dispatched)).toEqual([false, false]);

    dieAfterSending = false;
    await relay.runOnce();
    // Sent twice (the queue ignores the repeat: job id = order id), and now recorded.
    expect(sent).toEqual([...orders, ...orders]);
    expect((await outboxRows()).map((r) => r.dispatched)).toEqual([true, true]);
  });
});

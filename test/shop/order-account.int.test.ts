import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, runMigrations } from '@firedrill/kit';
import { shopSchema } from '@firedrill/shop-schema';
import { orderAccountOnceFulfilled, shopOrderAccount } from '@firedrill/lab-infra';
import { createTestDatabase } from '@firedrill/lab-infra/testing';

let databaseUrl: string;
let db: pg.Pool;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('orders');
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await runMigrations(db, shopSchema, createLogger('shop-orders-test', 'silent'));
});

afterAll(async () => {
  await db?.end();
});

/** One order as the shop leaves it; `ageSeconds` back-dates its creation. */
async function order(status: 'pending' | 'paid' | 'payment_failed' | 'fulfilled', ageSeconds = 0): Promise<string> {
  const id = randomUUID();
  const charged = status === 'paid' || status === 'fulfilled';
  await db.query(
    `INSERT INTO shop.orders (id, idempotency_key, request_hash, customer_email, status, total_cents, currency, paid_at, created_at)
     VALUES ($1, $2, 'h', 'ada@approve.test', $3, 2490, 'EUR', CASE WHEN $4 THEN now() END, now() - make_interval(secs => $5))`,
    [id, `key-${id}`, status, charged, ageSeconds],
  );
  return id;
}

describe('the shop order account', () => {
  it('when orders end in every state, then each is counted once, and only those created since the moment given', async () => {
    const since = (await db.query<{ now: Date }>("SELECT now() - interval '1 minute' AS now")).rows[0]!.now;
    await order('fulfilled', 3_600); // before the window
    await order('fulfilled');
    await order('fulfilled');
    await order('paid');
    await order('payment_failed');
    await order('pending');

    expect(await shopOrderAccount(databaseUrl, since)).toEqual({ placed: 5, paid: 3, fulfilled: 2, awaitingFulfilment: 1, paymentFailed: 1, pending: 1 });
  });

  it('when the last paid order is fulfilled while it waits, then the account it returns has none awaiting; when none is, it gives up with the order counted', async () => {
    const since = (await db.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
    const late = await order('paid');
    const waiting = orderAccountOnceFulfilled(databaseUrl, since, 30_000, 100);
    await db.query(`UPDATE shop.orders SET status = 'fulfilled', fulfilled_at = now() WHERE id = $1`, [late]);
    expect(await waiting).toMatchObject({ placed: 1, fulfilled: 1, awaitingFulfilment: 0 });

    await order('paid');
    expect(await orderAccountOnceFulfilled(databaseUrl, since, 300, 100)).toMatchObject({ placed: 2, paid: 2, awaitingFulfilment: 1 });
  });
});

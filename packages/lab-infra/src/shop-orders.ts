import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * What became of the orders placed since a moment, from the shop's own table (shop.orders): the
 * ground truth for "no accepted order is lost". The api answers 201 only with the order paid, so
 * every accepted order has `paid_at`; it must end `fulfilled` once the worker has it. A pending
 * order (answered 503, payments unreachable) that the reconciler later found charged also gets
 * `paid_at`, and must be fulfilled as well.
 */
export interface OrderAccount {
  /** Every order row created in the window, whatever became of it. */
  placed: number;
  /** Charged: paid_at set (paid or fulfilled). */
  paid: number;
  fulfilled: number;
  /** Paid but not (yet) fulfilled. */
  awaitingFulfilment: number;
  paymentFailed: number;
  /** Never answered by payments and not reconciled yet (the client got a 503). */
  pending: number;
}

/** The orders created at or after `since` in the shop database (a direct URL, never through Toxiproxy). */
export async function shopOrderAccount(shopDatabaseUrl: string, since: Date): Promise<OrderAccount> {
  const client = new pg.Client({ connectionString: shopDatabaseUrl, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<OrderAccount>(
      `SELECT count(*)::int AS "placed",
              count(*) FILTER (WHERE paid_at IS NOT NULL)::int AS "paid",
              count(*) FILTER (WHERE status = 'fulfilled')::int AS "fulfilled",
              count(*) FILTER (WHERE status = 'paid')::int AS "awaitingFulfilment",
              count(*) FILTER (WHERE status = 'payment_failed')::int AS "paymentFailed",
              count(*) FILTER (WHERE status = 'pending')::int AS "pending"
         FROM shop.orders WHERE created_at >= $1`,
      [since],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * The account once every paid order is fulfilled, or as it stands after `timeoutMs`: after a
 * fault the worker and the outbox relay catch up at their own pace, and an order still waiting
 * then is one the shop did not deliver.
 */
export async function orderAccountOnceFulfilled(shopDatabaseUrl: string, since: Date, timeoutMs: number, intervalMs = 1_000): Promise<OrderAccount> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const account = await shopOrderAccount(shopDatabaseUrl, since);
    if (account.awaitingFulfilment === 0 || Date.now() >= deadline) return account;
    await sleep(intervalMs);
  }
}

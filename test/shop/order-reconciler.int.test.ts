/**
 * Orders whose client gave up during a payments incident (an error, and no retry) are settled by
 * the reconciler from the charge's final state in payments. Real Postgres, Redis, payments and
 * worker. The payments timeout of the api (50 ms) is far below the card network's latency
 * (300 ms), so every checkout here ends as the incident left it: 503 to the client, the order
 * pending, the charge going on in payments. Tests age an order's last charge attempt by an hour
 * instead of waiting out the grace period.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@firedrill/lab-infra';
import type { GatewayFault } from '@firedrill/payments';
import { apiConfigSchema, startApi, type RunningApi } from '@firedrill/api';
import { Shop, anOrder, newKey, testLogger, type Json } from './helpers/shop.ts';

/** Passes run only when a test asks for one, so each test knows which pass decided what. */
const hourMs = '3600000';
const items = [{ productId: 'mug-stoneware', quantity: 1 }];

/** The card network's behaviour by customer domain (approve.test and decline.test are built in). */
function gatewayFaultFor(request: { customerEmail: string }): GatewayFault | undefined {
  if (request.customerEmail.endsWith('@gateway-error.test')) return { mode: 'gateway-error' };
  if (request.customerEmail.endsWith('@gateway-timeout.test')) return { mode: 'timeout' };
  return undefined;
}

describe('order reconciliation', () => {
  let shop: Shop;
  /** An api of the same shop whose payments is unreachable (a refused port). */
  let cutOff: RunningApi;
  /** A second api instance of the same shop, reaching payments. */
  let twin: RunningApi;

  const apiEnv = (paymentsUrl: string) =>
    apiConfigSchema.parse({
      PORT: '0',
      DATABASE_URL: shop.databaseUrl,
      REDIS_URL: shop.redisUrl,
      QUEUE_PREFIX: shop.queuePrefix,
      PAYMENTS_URL: paymentsUrl,
      PAYMENTS_TIMEOUT_MS: '50',
      PAYMENTS_ATTEMPTS: '1',
      OUTBOX_POLL_MS: '200',
      RECONCILE_INTERVAL_MS: hourMs,
    });

  beforeAll(async () => {
    shop = await Shop.start({
      payments: {
        env: { GATEWAY_LATENCY_MEDIAN_MS: '300', GATEWAY_LATENCY_SIGMA: '0', GATEWAY_TIMEOUT_MS: '3000' },
        gatewayFaults: gatewayFaultFor,
      },
      api: { PAYMENTS_TIMEOUT_MS: '50', PAYMENTS_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: hourMs },
    });
    cutOff = await startApi(apiEnv(`http://127.0.0.1:${await freePort()}`), { logger: testLogger('api-cut-off') });
    twin = await startApi(apiEnv(`http://127.0.0.1:${shop.paymentsPort}`), { logger: testLogger('api-twin') });
  });
  afterAll(async () => {
    await cutOff?.close();
    await twin?.close();
    await shop?.close();
  });

  /** A checkout the client gives up on: payments does not answer the api in time. */
  async function abandonedOrder(email: string, via: string = shop.api.url, key = newKey()): Promise<{ id: string; key: string }> {
    const res = await fetch(`${via}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(anOrder(email, items)),
    });
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(503);
    expect(body.code).toBe('payments_unavailable');
    return { id: body.orderId, key };
  }

  const charges = async (orderId: string) =>
    (await shop.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM payments.charges WHERE order_id = $1', [orderId])).rows;
  const waitSettled = (ids: string[]) =>
    waitFor(
      'the charges to settle in payments',
      async () => {
        const all = await Promise.all(ids.map(charges));
        return all.every((c) => c.length === 1 && c[0]!.status !== 'processing');
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  const age = (ids: string[]) => shop.db.query(`UPDATE shop.orders SET charge_started_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [ids]);
  const outboxRows = async (id: string) =>
    (await shop.db.query<{ n: number }>('SELECT count(*)::int AS n FROM shop.outbox WHERE order_id = $1', [id])).rows[0]!.n;
  const reconciledMetric = async (api: RunningApi, outcome: string) => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`shop_orders_reconciled_total{outcome="${outcome}"`));
    return Number(line?.split(' ').at(-1));
  };

  it('when orders are pending within the grace period, then the reconciler leaves them alone', async () => {
    const order = await abandonedOrder(`fresh-${randomUUID().slice(0, 6)}@approve.test`);
    await waitSettled([order.id]);

    const summary = await shop.api.reconcileOrders();

    expect(summary).toEqual({ paid: 0, payment_failed: 0, charge_processing: 0, payments_unavailable: 0 });
    expect((await shop.getOrder(order.id)).status).toBe('pending');
    await age([order.id]); // settled by the next test's pass
  });

  it('when charges ended approved, declined or failed after their clients gave up, then each order is paid and fulfilled or fails with the reason', async () => {
    const approved = await abandonedOrder(`ada-${randomUUID().slice(0, 6)}@approve.test`);
    const declined = await abandonedOrder(`bob-${randomUUID().slice(0, 6)}@decline.test`);
    const failed = await abandonedOrder(`cy-${randomUUID().slice(0, 6)}@gateway-error.test`);
    await waitSettled([approved.id, declined.id, failed.id]);
    await age([approved.id, declined.id, failed.id]);

    const summary = await shop.api.reconcileOrders();

    // The previous test's order was approved as well.
    expect(summary).toEqual({ paid: 2, payment_failed: 2, charge_processing: 0, payments_unavailable: 0 });
    const paid = await shop.getOrder(approved.id);
    expect(paid).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
    expect(await shop.getOrder(declined.id)).toMatchObject({ status: 'payment_failed', reason: 'card_declined' });
    expect(await shop.getOrder(failed.id)).toMatchObject({ status: 'payment_failed', reason: 'gateway_error' });
    expect(await outboxRows(approved.id)).toBe(1);
    expect(await outboxRows(declined.id)).toBe(0);
    expect(await reconciledMetric(shop.api, 'paid')).toBe(2);
    expect(await reconciledMetric(shop.api, 'payment_failed')).toBe(2);

    await shop.startWorker();
    await waitFor('the reconciled paid order to be fulfilled', async () => (await shop.getOrder(approved.id)).status === 'fulfilled', {
      timeoutMs: 15_000,
      intervalMs: 100,
    });

    // A second pass finds nothing left to decide: reconciliation is idempotent.
    expect(await shop.api.reconcileOrders()).toEqual({ paid: 0, payment_failed: 0, charge_processing: 0, payments_unavailable: 0 });
    expect(await outboxRows(approved.id)).toBe(1);
  });

  it('when a client retries an order the reconciler failed, then it gets the recorded 402 and the card network is not asked again', async () => {
    const email = `dee-${randomUUID().slice(0, 6)}@gateway-error.test`;
    const failed = await abandonedOrder(email);
    await waitSettled([failed.id]);
    await age([failed.id]);
    await shop.api.reconcileOrders();

    const retry = await shop.placeOrder(anOrder(email, items), failed.key);

    expect(retry.status).toBe(402);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toMatchObject({ id: failed.id, status: 'payment_failed', reason: 'gateway_error' });
    expect(await charges(failed.id)).toEqual([{ status: 'failed', attempts: 1 }]);
  });

  it('when a client retries an order while it is being decided, then the retry waits for the decision and does not charge', async () => {
    const email = `kit-${randomUUID().slice(0, 6)}@gateway-error.test`;
    const order = await abandonedOrder(email);
    await waitSettled([order.id]);
    // Hold the order as a reconciler does while it asks payments (same lock, same statement shape).
    const reconciler = await shop.db.connect();
    try {
      await reconciler.query('BEGIN');
      await reconciler.query("SELECT id FROM shop.orders WHERE id = $1 AND status = 'pending' FOR UPDATE", [order.id]);

      const retrying = shop.placeOrder(anOrder(email, items), order.key);
      await waitFor(
        'the retry to wait for the order',
        async () => {
          const { rows } = await shop.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE shop.orders SET charge_started_at%'",
          );
          return rows[0]!.n > 0;
        },
        { timeoutMs: 5_000, intervalMs: 20 },
      );
      await reconciler.query("UPDATE shop.orders SET status = 'payment_failed', payment_reason = 'gateway_error' WHERE id = $1", [order.id]);
      await reconciler.query('COMMIT');

      const retry = await retrying;
      expect(retry.status).toBe(402);
      expect(await retry.json()).toMatchObject({ id: order.id, status: 'payment_failed' });
      expect(await charges(order.id)).toEqual([{ status: 'failed', attempts: 1 }]); // the card network was not asked again
    } finally {
      await reconciler.query('ROLLBACK').catch(() => {});
      reconciler.release();
    }
  });

  it('when the charge is still at the card network, then the order stays pending and a later pass settles it', async () => {
    const slow = await abandonedOrder(`eve-${randomUUID().slice(0, 6)}@gateway-timeout.test`);
    await waitFor('the charge to reach payments', async () => (await charges(slow.id)).length === 1, { timeoutMs: 5_000, intervalMs: 20 });
    await age([slow.id]);

    expect(await shop.api.reconcileOrders()).toMatchObject({ charge_processing: 1, payment_failed: 0 });
    expect((await shop.getOrder(slow.id)).status).toBe('pending');

    await waitFor(
      'a pass to settle the order',
      async () => {
        await shop.api.reconcileOrders();
        return (await shop.getOrder(slow.id)).status !== 'pending';
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(await shop.getOrder(slow.id)).toMatchObject({ status: 'payment_failed', reason: 'gateway_timeout' });
  });

  it('when payments never received the charge, then the order fails as payments_unavailable and nobody was charged', async () => {
    const never = await abandonedOrder(`fay-${randomUUID().slice(0, 6)}@approve.test`, cutOff.url);
    await age([never.id]);

    expect(await shop.api.reconcileOrders()).toMatchObject({ payment_failed: 1 });

    expect(await shop.getOrder(never.id)).toMatchObject({ status: 'payment_failed', reason: 'payments_unavailable' });
    expect(await shop.chargesFor(never.id)).toBe(0);
  });

  it('when payments is unreachable from the reconciling api, then the order stays pending and a pass that reaches payments settles it', async () => {
    const order = await abandonedOrder(`gus-${randomUUID().slice(0, 6)}@approve.test`);
    await waitSettled([order.id]);
    await age([order.id]);

    expect(await cutOff.reconcileOrders()).toEqual({ paid: 0, payment_failed: 0, charge_processing: 0, payments_unavailable: 1 });
    expect((await shop.getOrder(order.id)).status).toBe('pending');
    expect(await reconciledMetric(cutOff, 'payments_unavailable')).toBe(1);

    expect(await shop.api.reconcileOrders()).toMatchObject({ paid: 1 });
    expect((await shop.getOrder(order.id)).status).not.toBe('pending');
  });

  it('when two api instances reconcile at the same time, then every order is decided exactly once', async () => {
    const orders = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => abandonedOrder(`many-${i}-${randomUUID().slice(0, 6)}@approve.test`)));
    const ids = orders.map((o) => o.id);
    await waitSettled(ids);
    await age(ids);

    const [a, b] = await Promise.all([shop.api.reconcileOrders(), twin.reconcileOrders()]);

    expect(a.paid + b.paid).toBe(6);
    const statuses = await Promise.all(ids.map(async (id) => (await shop.getOrder(id)).status));
    expect(statuses.every((s) => s === 'paid' || s === 'fulfilled')).toBe(true);
    expect(await Promise.all(ids.map(outboxRows))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('when an api starts, then its reconciler runs on its own; when the api closes, then the reconciler is stopped with it', async () => {
    const ticking = await startApi({ ...apiEnv(`http://127.0.0.1:${shop.paymentsPort}`), RECONCILE_INTERVAL_MS: 100 }, { logger: testLogger('api-ticking') });
    try {
      const first = await abandonedOrder(`hal-${randomUUID().slice(0, 6)}@approve.test`);
      await waitSettled([first.id]);
      await age([first.id]);
      await waitFor('a pass of its own to settle the order', async () => (await shop.getOrder(first.id)).status !== 'pending', {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
    } finally {
      await ticking.close();
    }

    const second = await abandonedOrder(`ida-${randomUUID().slice(0, 6)}@approve.test`);
    await waitSettled([second.id]);
    await age([second.id]);

    expect(await ticking.reconcileOrders()).toEqual({ paid: 0, payment_failed: 0, charge_processing: 0, payments_unavailable: 0 });
    expect((await shop.getOrder(second.id)).status).toBe('pending');
    expect(await shop.api.reconcileOrders()).toMatchObject({ paid: 1 }); // left for the instances still running
  });
});

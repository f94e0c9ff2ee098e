/**
 * The api's flags against the real shop (api and payments in-process, real Postgres and Redis),
 * fed by a stand-in of the lab's flags API: degraded mode refuses checkout before anything is
 * stored, on every api instance; the payment timeout and retry flags change how each charge call
 * is made; the circuit breaker fails fast once payments keeps failing, leaves every order pending
 * (none lost), and closes again after a successful probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagsServer, waitFor } from '@firedrill/lab-infra';
import { apiConfigSchema, startApi, type RunningApi } from '@firedrill/api';
import { Shop, anOrder, newKey, testLogger, type Json } from './helpers/shop.ts';

/** The sum of the series matching `series` in Prometheus text (0 when there is none). */
async function metric(url: string, series: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => series.test(l))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('api.degraded-mode', () => {
  let lab: FlagsServer;
  let shop: Shop;
  let twin: RunningApi;

  beforeAll(async () => {
    lab = await FlagsServer.start();
    shop = await Shop.start({ api: lab.serviceEnv() });
    twin = await startApi(
      apiConfigSchema.parse({
        PORT: '0',
        DATABASE_URL: shop.databaseUrl,
        REDIS_URL: shop.redisUrl,
        QUEUE_PREFIX: shop.queuePrefix,
        PAYMENTS_URL: `http://127.0.0.1:${shop.paymentsPort}`,
        ...lab.serviceEnv(),
      }),
      { logger: testLogger('api-twin') },
    );
  });
  afterAll(async () => {
    await twin?.close();
    await shop?.close();
    await lab?.close();
  });

  const order = (api: RunningApi, body: unknown = anOrder()) =>
    fetch(`${api.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey() },
      body: JSON.stringify(body),
    });
  /** Whether an instance pauses checkout, asked without placing an order: the pause is decided before the body is read. */
  const paused = async (api: RunningApi) => (await order(api, {})).status === 503;

  it('when degraded mode is turned on, then every instance answers checkout 503 checkout_paused with Retry-After, stores nothing, and keeps the catalogue up', async () => {
    expect((await order(shop.api)).status).toBe(201);
    const ordersBefore = await shop.orderRows();

    lab.set({ 'api.degraded-mode': true });
    for (const api of [shop.api, twin]) {
      await waitFor('checkout paused', () => paused(api), { timeoutMs: 5_000, intervalMs: 50 });
      const res = await order(api);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('30');
      expect((await res.json()) as Json).toMatchObject({ status: 503, code: 'checkout_paused' });
      expect((await fetch(`${api.url}/api/products`)).status).toBe(200);
    }
    // Refused before anything was stored or charged: not one order row more.
    expect(await shop.orderRows()).toBe(ordersBefore);
    expect((await shop.db.query('SELECT count(*)::int AS n FROM payments.charges')).rows[0].n).toBe(ordersBefore);
    expect(ordersBefore).toBe(1);

    lab.set({ 'api.degraded-mode': false });
    for (const api of [shop.api, twin]) await waitFor('checkout open again', async () => !(await paused(api)), { timeoutMs: 5_000, intervalMs: 50 });
    expect((await order(twin)).status).toBe(201);
  });

  it('when the api describes itself, then POST /api/orders documents the checkout_paused 503 and its Retry-After header', async () => {
    const doc = (await (await fetch(`${shop.api.url}/api/openapi.json`)).json()) as Json;
    const answer = doc.paths['/api/orders'].post.responses['503'];
    expect(answer.content['application/problem+json'].schema.properties.code.enum).toContain('checkout_paused');
    expect(answer.headers['Retry-After']).toBeDefined();
  });
});

describe('api.payment-timeout-ms and api.payment-retries', () => {
  let lab: FlagsServer;
  let shop: Shop;

  beforeAll(async () => {
    lab = await FlagsServer.start();
    // The card network takes 300 ms; the configured timeout (1000 ms) lets it answer.
    shop = await Shop.start({
      // The grace period just above a whole configured charge call (3 × 1000 ms + 2 × 2000 ms backoff).
      api: { ...lab.serviceEnv(), PAYMENTS_TIMEOUT_MS: '1000', PAYMENTS_ATTEMPTS: '3', RECONCILE_GRACE_MS: '8000' },
      payments: { env: { GATEWAY_LATENCY_MEDIAN_MS: '300', GATEWAY_LATENCY_SIGMA: '0', GATEWAY_TIMEOUT_MS: '3000' } },
    });
  });
  afterAll(async () => {
    await shop?.close();
    await lab?.close();
  });

  // Every attempt, whatever its outcome: after a timed-out try, payments may answer the retry 409 (the charge is still at the gateway).
  const attemptCount = () => metric(shop.api.url, /^shop_payment_attempts_total\{/);

  it('when the flags lower the timeout below the gateway latency, then charge calls fail, each making as many attempts as the retry flag says', async () => {
    expect((await shop.placeOrder(anOrder(), newKey())).status).toBe(201);

    lab.set({ 'api.payment-timeout-ms': 100, 'api.payment-retries': 1 });
    await waitFor('the shorter timeout', async () => (await shop.placeOrder(anOrder(), newKey())).status === 503, { timeoutMs: 5_000, intervalMs: 50 });
    let before = await attemptCount();
    const res = await shop.placeOrder(anOrder(), newKey());
    expect(res.status).toBe(503);
    expect(((await res.json()) as Json).code).toBe('payments_unavailable');
    expect((await attemptCount()) - before).toBe(1);

    lab.set({ 'api.payment-retries': 2 });
    await waitFor(
      'two attempts per call',
      async () => {
        const from = await attemptCount();
        await shop.placeOrder(anOrder(), newKey());
        return (await attemptCount()) - from === 2;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    before = await attemptCount();
    expect((await shop.placeOrder(anOrder(), newKey())).status).toBe(503);
    expect((await attemptCount()) - before).toBe(2);

    // Unset, the configuration applies again: the 300 ms gateway answers within 1000 ms.
    lab.set({ 'api.payment-timeout-ms': undefined, 'api.payment-retries': undefined });
    await waitFor('the configured timeout', async () => (await shop.placeOrder(anOrder(), newKey())).status === 201, { timeoutMs: 5_000, intervalMs: 50 });
  });

  it('when the flags ask for a charge call longer than the reconcile grace period, then the configured values are kept', async () => {
    lab.set({ 'api.payment-timeout-ms': 100, 'api.payment-retries': 1 });
    await waitFor('the short timeout in force', async () => (await shop.placeOrder(anOrder(), newKey())).status === 503, { timeoutMs: 5_000, intervalMs: 50 });
    // 10 attempts could last 100 × 10 + 9 × 2000 ms, past the 8000 ms grace: refused, so the
    // configured 1000 ms timeout applies again and the 300 ms gateway is waited for.
    lab.set({ 'api.payment-retries': 10 });
    await waitFor('the configured values back', async () => (await shop.placeOrder(anOrder(), newKey())).status === 201, { timeoutMs: 5_000, intervalMs: 50 });
    lab.set({ 'api.payment-timeout-ms': undefined, 'api.payment-retries': undefined });
  });
});

describe('api.payments-circuit-breaker', () => {
  let lab: FlagsServer;
  let shop: Shop;

  beforeAll(async () => {
    lab = await FlagsServer.start({ 'api.payments-circuit-breaker': true });
    // Payments is down (its port refuses connections) until the test starts it.
    shop = await Shop.start({
      payments: false,
      api: { ...lab.serviceEnv(), PAYMENTS_ATTEMPTS: '1', PAYMENTS_BREAKER_FAILURES: '2', PAYMENTS_BREAKER_OPEN_MS: '300' },
    });
  });
  afterAll(async () => {
    await shop?.close();
    await lab?.close();
  });

  const attempts = () => metric(shop.api.url, /^shop_payment_attempts_total\{outcome="network_error"/);
  const state = async (s: string) => metric(shop.api.url, new RegExp(`^shop_payments_circuit_state\\{state="${s}"`));

  it('when payments keeps failing, then the circuit opens and fails fast without calling payments, every order stays pending, and a probe closes it once payments is back', async () => {
    const placed: Array<{ id: string; key: string }> = [];
    const place = async () => {
      const key = newKey();
      const res = await shop.placeOrder(anOrder(), key);
      const body = (await res.json()) as Json;
      expect(res.status).toBe(503);
      expect(body.code).toBe('payments_unavailable');
      placed.push({ id: body.orderId, key });
    };
    await place();
    await place();
    expect(await state('open')).toBe(1);

    const calls = await attempts();
    const rejected = await metric(shop.api.url, /^shop_payments_circuit_rejections_total/);
    await place();
    expect(await attempts()).toBe(calls);
    expect(await metric(shop.api.url, /^shop_payments_circuit_rejections_total/)).toBe(rejected + 1);

    // Accepted as pending, like any order whose charge got no answer: none is lost.
    const statuses = await shop.db.query<{ status: string }>('SELECT status FROM shop.orders WHERE id = ANY($1)', [placed.map((p) => p.id)]);
    expect(statuses.rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

    await shop.startPayments();
    // The next call after the open period is the probe; it succeeds and closes the circuit.
    await waitFor('a successful probe', async () => (await shop.placeOrder(anOrder(), newKey())).status === 201, { timeoutMs: 5_000, intervalMs: 100 });
    expect(await state('closed')).toBe(1);
    // The fast-failed order is resumed by its client's retry with the same key, and charged once.
    const retried = await shop.placeOrder(anOrder(), placed[2]!.key);
    expect(retried.status).toBe(201);
    expect(await shop.chargesFor(placed[2]!.id)).toBe(1);
  });

  it('when the breaker flag is off, then every charge call reaches payments whatever failed before', async () => {
    lab.set({ 'api.payments-circuit-breaker': false });
    await shop.payments!.close();
    shop.payments = undefined;
    await waitFor(
      'the flag off',
      async () => {
        const before = await attempts();
        await shop.placeOrder(anOrder(), newKey());
        await shop.placeOrder(anOrder(), newKey());
        await shop.placeOrder(anOrder(), newKey());
        return (await attempts()) - before === 3;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(await state('closed')).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { Shop, anOrder, newKey, type Json } from './helpers/shop.ts';

describe('orders, end to end (real payments, worker, Postgres, Redis)', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.start();
    await shop.startWorker();
  });
  afterAll(() => shop?.close());

  it('when a customer orders, then it is answered 201 paid and is fulfilled by the worker', async () => {
    const res = await shop.placeOrder(
      anOrder('ada@approve.test', [
        { productId: 'espresso-beans-1kg', quantity: 2 },
        { productId: 'mug-stoneware', quantity: 1 },
      ]),
      newKey(),
    );
    const order = (await res.json()) as Json;

    expect(res.status).toBe(201);
    expect(order).toMatchObject({
      status: 'paid',
      totalCents: 2 * 2490 + 1800,
      currency: 'EUR',
      customer: { email: 'ada@approve.test' },
      items: [
        { productId: 'espresso-beans-1kg', quantity: 2, unitPriceCents: 2490 },
        { productId: 'mug-stoneware', quantity: 1, unitPriceCents: 1800 },
      ],
    });
    expect(order.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/api/orders/${order.id}`);

    const fulfilled = await waitFor(
      'order fulfilled',
      async () => {
        const current = await shop.getOrder(order.id);
        return current.status === 'fulfilled' && current;
      },
      { timeoutMs: 15_000 },
    );
    expect(fulfilled.paidAt).not.toBeNull();
    expect(fulfilled.fulfilledAt).not.toBeNull();
    expect(await shop.chargesFor(order.id)).toBe(1);
  });

  it('when the same order is retried with the same key, then the same order is answered and charged once', async () => {
    const key = newKey();
    const before = await shop.orderRows();

    const first = await shop.placeOrder(anOrder(), key);
    const second = await shop.placeOrder(anOrder(), key);
    const firstBody = (await first.json()) as Json;
    const secondBody = (await second.json()) as Json;

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(secondBody.id).toBe(firstBody.id);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await shop.orderRows()).toBe(before + 1);
    expect(await shop.chargesFor(firstBody.id)).toBe(1);
  });

  it('when the same order is sent twice at once with one key, then one order is created and charged once', async () => {
    const key = newKey();
    const before = await shop.orderRows();

    const answers = await Promise.all([shop.placeOrder(anOrder(), key), shop.placeOrder(anOrder(), key)]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as Json[];

    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    expect(bodies[0].id).toBe(bodies[1].id);
    expect(await shop.orderRows()).toBe(before + 1);
    expect(await shop.chargesFor(bodies[0].id)).toBe(1);
  });

  it('when a key is reused for a different order, then 422 idempotency_key_reused and nothing is charged', async () => {
    const key = newKey();
    await shop.placeOrder(anOrder(), key);

    const res = await shop.placeOrder(anOrder('ada@approve.test', [{ productId: 'grinder-burr', quantity: 1 }]), key);
    const body = (await res.json()) as Json;

    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(body.code).toBe('idempotency_key_reused');
  });

  it('when the card is declined, then 402 payment_failed with the reason, and no fulfilment is queued', async () => {
    const key = newKey();
    const res = await shop.placeOrder(anOrder('bob@decline.test'), key);
    const order = (await res.json()) as Json;

    expect(res.status).toBe(402);
    expect(order).toMatchObject({ status: 'payment_failed', reason: 'card_declined', totalCents: 2 * 2490 });
    await shop.api.relayOutbox();
    const outbox = await shop.db.query('SELECT 1 FROM shop.outbox WHERE order_id = $1', [order.id]);
    expect(outbox.rowCount).toBe(0);
    expect((await shop.getOrder(order.id)).status).toBe('payment_failed');

    const replay = await shop.placeOrder(anOrder('bob@decline.test'), key);
    expect(replay.status).toBe(402);
    expect(((await replay.json()) as Json).id).toBe(order.id);
  });

  it('when an order is read, then its current state is answered; unknown ids are 404 and malformed ids 400', async () => {
    const created = (await (await shop.placeOrder(anOrder(), newKey())).json()) as Json;

    const found = await fetch(`${shop.api.url}/api/orders/${created.id}`);
    const unknown = await fetch(`${shop.api.url}/api/orders/${crypto.randomUUID()}`);
    const malformed = await fetch(`${shop.api.url}/api/orders/not-a-uuid`);

    expect(found.status).toBe(200);
    expect(((await found.json()) as Json).id).toBe(created.id);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Json).code).toBe('not_found');
    expect(malformed.status).toBe(400);
    const problem = (await malformed.json()) as Json;
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors[0].field).toBe('id');
  });

  it('when the catalogue is read, then every product has a price; an unknown product is 404 not_found', async () => {
    const list = (await (await fetch(`${shop.api.url}/api/products`)).json()) as Json[];
    const one = await fetch(`${shop.api.url}/api/products/grinder-burr`);
    const missing = await fetch(`${shop.api.url}/api/products/teapot`);

    expect(list.length).toBeGreaterThanOrEqual(8);
    expect(list.every((p) => Number.isInteger(p.priceCents) && p.currency === 'EUR')).toBe(true);
    expect((await one.json()) as Json).toMatchObject({ id: 'grinder-burr', priceCents: 12900 });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as Json).code).toBe('not_found');
  });

  it('when metrics are scraped, then order outcomes and RED per route template are there', async () => {
    const text = await (await fetch(`${shop.api.url}/metrics`)).text();

    expect(text).toMatch(/shop_orders_total\{[^}]*status="paid"[^}]*\} [1-9]/);
    expect(text).toMatch(/shop_orders_total\{[^}]*status="payment_failed"[^}]*\} [1-9]/);
    expect(text).toContain('route="/api/orders/:id"');
    expect(text).toContain('shop_outbox_backlog');
  });
});

describe('orders while payments is unreachable', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.start({ payments: false, api: { PAYMENTS_ATTEMPTS: '2' } });
  });
  afterAll(() => shop?.close());

  it('when payments is down, then 503 payments_unavailable; a retry with the same key after it is back pays that same order', async () => {
    const key = newKey();

    const down = await shop.placeOrder(anOrder(), key);
    const problem = (await down.json()) as Json;
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.code).toBe('payments_unavailable');
    expect((await shop.getOrder(problem.orderId)).status).toBe('pending');

    await shop.startPayments();
    const retried = await shop.placeOrder(anOrder(), key);
    const order = (await retried.json()) as Json;

    expect(retried.status).toBe(201);
    expect(order).toMatchObject({ id: problem.orderId, status: 'paid' });
    expect(await shop.orderRows()).toBe(1);
    expect(await shop.chargesFor(order.id)).toBe(1);
  });
});

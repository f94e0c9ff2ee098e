import { IdempotencyKeyReusedError, prom, type Logger, type Pool } from '@firedrill/kit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PaymentsUnavailableError, type ChargeRequest, type ChargeResult, type PaymentsClient } from '../clients/payments-client.ts';
import type { NewOrder, Order } from '../data-access/order-repository.ts';
import type { Product } from '../data-access/product-repository.ts';
import { createApiMetrics } from '../metrics.ts';
import { MixedCurrenciesError, OrderPaymentPendingError, UnknownProductsError } from './order-errors.ts';
import { hashOrderRequest } from './order-request.ts';
import { decideForPrevious, placeOrder, type PlaceOrderDeps } from './place-order.ts';

/**
 * The orders table in memory, with the rules the real statements enforce: one order per
 * idempotency key (the unique constraint) and only `pending` orders change status.
 */
const orders = vi.hoisted(() => {
  const byId = new Map<string, Order>();
  return {
    byId,
    byKey: (key: string) => [...byId.values()].find((o) => o.idempotencyKey === key),
    setStatus(id: string, from: Order['status'], change: Partial<Order>): boolean {
      const order = byId.get(id);
      if (order?.status !== from) return false;
      byId.set(id, { ...order, ...change });
      return true;
    },
  };
});

vi.mock('../data-access/order-repository.ts', () => ({
  findOrder: async (_pool: Pool, id: string) => orders.byId.get(id),
  findOrderByIdempotencyKey: async (_pool: Pool, key: string) => orders.byKey(key),
  insertPendingOrder: async (_pool: Pool, order: NewOrder): Promise<Order | undefined> => {
    if (orders.byKey(order.idempotencyKey)) return undefined;
    const stored: Order = { ...order, status: 'pending', paymentReason: null, chargeId: null, createdAt: new Date(), paidAt: null, fulfilledAt: null };
    orders.byId.set(order.id, stored);
    return stored;
  },
  markOrderPaid: async (_pool: Pool, id: string, chargeId: string) => {
    const paidAt = new Date();
    return orders.setStatus(id, 'pending', { status: 'paid', chargeId, paidAt }) ? paidAt : undefined;
  },
  markPaymentFailed: async (_pool: Pool, id: string, reason: string, chargeId: string | null) =>
    orders.setStatus(id, 'pending', { status: 'payment_failed', paymentReason: reason, chargeId }),
  // A resumed charge claims the order first; only a pending order can be claimed.
  claimChargeAttempt: async (_pool: Pool, id: string) => orders.byId.get(id)?.status === 'pending',
}));

const catalogue = new Map<string, Product>([
  ['mug-stoneware', { id: 'mug-stoneware', name: 'Mug', description: '', priceCents: 1_800, currency: 'EUR' }],
  ['grinder-burr', { id: 'grinder-burr', name: 'Grinder', description: '', priceCents: 12_900, currency: 'EUR' }],
  ['kettle-us', { id: 'kettle-us', name: 'Kettle', description: '', priceCents: 5_000, currency: 'USD' }],
]);

const request = {
  items: [
    { productId: 'mug-stoneware', quantity: 1 },
    { productId: 'grinder-burr', quantity: 2 },
  ],
  customer: { email: 'ada@approve.test' },
};

/** A payments service that answers each charge with the next scripted answer (or throws it). */
function scriptedPayments(...answers: (ChargeResult | Error)[]) {
  const charges: { request: ChargeRequest; idempotencyKey: string }[] = [];
  const client: PaymentsClient = {
    async charge(chargeRequest, idempotencyKey) {
      charges.push({ request: chargeRequest, idempotencyKey });
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected charge');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    // placeOrder never asks these; the readiness probe and the reconciler do.
    checkLive: async () => {},
    findCharge: async () => {
      throw new Error('placeOrder never looks a charge up');
    },
  };
  return { client, charges };
}

function setup(...answers: (ChargeResult | Error)[]) {
  const payments = scriptedPayments(...answers);
  const registry = new prom.Registry();
  const onOrderPaid = vi.fn();
  const silent = { info: () => {}, warn: () => {} } as unknown as Logger;
  const deps: PlaceOrderDeps = {
    pool: {} as Pool,
    catalogue: async () => catalogue,
    payments: payments.client,
    metrics: createApiMetrics(registry),
    logger: silent,
    onOrderPaid,
  };
  const ordersCounted = async (status: string) =>
    (await registry.getSingleMetric('shop_orders_total')!.get()).values.find((v) => v.labels.status === status)?.value ?? 0;
  return { deps, charges: payments.charges, onOrderPaid, ordersCounted };
}

const approved: ChargeResult = { status: 'approved', chargeId: 'ch_1' };
const declined: ChargeResult = { status: 'declined', chargeId: 'ch_2', reason: 'insufficient_funds' };

beforeEach(() => orders.byId.clear());

describe('placeOrder', () => {
  it('when the charge is approved, then the order is paid at the catalogue price, charged once under the order key, and fulfilment is asked for', async () => {
    const { deps, charges, onOrderPaid, ordersCounted } = setup(approved);

    const outcome = await placeOrder(request, 'key-1', deps);

    expect(outcome).toMatchObject({ replayed: false, order: { status: 'paid', chargeId: 'ch_1', totalCents: 1_800 + 2 * 12_900, currency: 'EUR' } });
    expect(outcome.order.paidAt).toBeInstanceOf(Date);
    expect(charges).toEqual([
      {
        request: { orderId: outcome.order.id, amountCents: 27_600, currency: 'EUR', customer: { email: 'ada@approve.test' } },
        idempotencyKey: `order-${outcome.order.id}`,
      },
    ]);
    expect(orders.byId.get(outcome.order.id)?.status).toBe('paid');
    expect(onOrderPaid).toHaveBeenCalledTimes(1);
    expect(await ordersCounted('paid')).toBe(1);
  });

  it('when the card is declined, then the order is payment_failed and nothing is fulfilled', async () => {
    const { deps, onOrderPaid, ordersCounted } = setup(declined);

    const outcome = await placeOrder(request, 'key-1', deps);

    expect(outcome).toMatchObject({ replayed: false, order: { status: 'payment_failed', paymentReason: 'insufficient_funds' } });
    expect(orders.byId.get(outcome.order.id)?.status).toBe('payment_failed');
    expect(onOrderPaid).not.toHaveBeenCalled();
    expect(await ordersCounted('payment_failed')).toBe(1);
  });

  it('when payments cannot be reached, then the refusal names the pending order, and a retry with the same key resumes that very charge', async () => {
    const { deps, charges, onOrderPaid, ordersCounted } = setup(new PaymentsUnavailableError('payments down'), approved);

    const failure = await placeOrder(request, 'key-1', deps).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OrderPaymentPendingError);
    const orderId = (failure as OrderPaymentPendingError).orderId;
    expect(orders.byId.get(orderId)?.status).toBe('pending');
    expect(await ordersCounted('pending')).toBe(1);

    const retried = await placeOrder(request, 'key-1', deps);

    expect(retried).toMatchObject({ replayed: false, order: { id: orderId, status: 'paid' } });
    expect(charges.map((c) => c.idempotencyKey)).toEqual([`order-${orderId}`, `order-${orderId}`]);
    expect(orders.byId.size).toBe(1);
    expect(onOrderPaid).toHaveBeenCalledTimes(1);
  });

  it('when the same key comes again for a paid order, then the stored answer is replayed without a second charge', async () => {
    const { deps, charges, onOrderPaid } = setup(approved);
    const first = await placeOrder(request, 'key-1', deps);

    const again = await placeOrder({ ...request, items: [...request.items].reverse() }, 'key-1', deps);

    expect(again).toMatchObject({ replayed: true, order: { id: first.order.id, status: 'paid' } });
    expect(charges).toHaveLength(1);
    expect(onOrderPaid).toHaveBeenCalledTimes(1);
  });

  it('when the same key comes again for a declined order, then the decline is replayed without a second charge', async () => {
    const { deps, charges } = setup(declined);
    const first = await placeOrder(request, 'key-1', deps);

    const again = await placeOrder(request, 'key-1', deps);

    expect(again).toMatchObject({ replayed: true, order: { id: first.order.id, status: 'payment_failed' } });
    expect(charges).toHaveLength(1);
  });

  it('when a key is reused for a different order, then the refusal names the first order and nothing is charged', async () => {
    const { deps, charges } = setup(approved);
    const first = await placeOrder(request, 'key-1', deps);

    const reuse = placeOrder({ ...request, items: [{ productId: 'mug-stoneware', quantity: 5 }] }, 'key-1', deps);

    await expect(reuse).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(reuse).rejects.toMatchObject({ extensions: { orderId: first.order.id } });
    expect(charges).toHaveLength(1);
    expect(orders.byId.size).toBe(1);
  });

  it('when the order names a product that does not exist, then the refusal points at the item and nothing is stored or charged', async () => {
    const { deps, charges } = setup();

    const unknown = placeOrder({ ...request, items: [request.items[0]!, { productId: 'teapot', quantity: 1 }] }, 'key-1', deps);

    await expect(unknown).rejects.toBeInstanceOf(UnknownProductsError);
    await expect(unknown).rejects.toMatchObject({ unknown: [{ index: 1, productId: 'teapot' }] });
    expect(orders.byId.size).toBe(0);
    expect(charges).toEqual([]);
  });

  it('when the items are priced in two currencies, then the refusal names both currencies and nothing is stored or charged', async () => {
    const { deps, charges } = setup();

    const mixed = placeOrder({ ...request, items: [request.items[0]!, { productId: 'kettle-us', quantity: 1 }] }, 'key-1', deps);

    await expect(mixed).rejects.toBeInstanceOf(MixedCurrenciesError);
    await expect(mixed).rejects.toMatchObject({ currencies: ['EUR', 'USD'] });
    expect(orders.byId.size).toBe(0);
    expect(charges).toEqual([]);
  });

  it('when another request records the charge first (a concurrent resume), then this one answers what was recorded and asks for no second fulfilment', async () => {
    const { deps, charges, onOrderPaid } = setup(approved);
    // The other request's answer lands while ours waits for payments.
    const charge = deps.payments.charge;
    deps.payments = {
      ...deps.payments,
      async charge(chargeRequest, key) {
        const result = await charge(chargeRequest, key);
        orders.setStatus(chargeRequest.orderId, 'pending', { status: 'paid', chargeId: 'ch_1', paidAt: new Date() });
        return result;
      },
    };

    const outcome = await placeOrder(request, 'key-1', deps);

    expect(outcome).toMatchObject({ replayed: false, order: { status: 'paid', chargeId: 'ch_1' } });
    expect(charges).toHaveLength(1);
    expect(onOrderPaid).not.toHaveBeenCalled();
  });

  it('when payments fails in a way no retry can fix, then the error reaches the caller and the order stays pending', async () => {
    const { deps } = setup(new Error('payments answered 422'));

    await expect(placeOrder(request, 'key-1', deps)).rejects.toThrow('payments answered 422');

    expect([...orders.byId.values()].map((o) => o.status)).toEqual(['pending']);
  });
});

describe('decideForPrevious (a key seen before)', () => {
  const previous = (status: Order['status'], requestHash = hashOrderRequest(request)): Order => ({
    id: 'a6a1c9f2-0000-4000-8000-000000000000',
    idempotencyKey: 'k',
    requestHash,
    status,
    customerEmail: 'ada@approve.test',
    items: [],
    totalCents: 100,
    currency: 'EUR',
    paymentReason: null,
    chargeId: null,
    createdAt: new Date(),
    paidAt: null,
    fulfilledAt: null,
  });

  it('when the request differs from the stored one, then the key reuse is refused', () => {
    expect(decideForPrevious(previous('paid', 'other'), hashOrderRequest(request))).toBe('reject_reused_key');
  });

  it.each(['paid', 'payment_failed', 'fulfilled'] as const)('when the stored order is %s, then it is replayed', (status) => {
    expect(decideForPrevious(previous(status), hashOrderRequest(request))).toBe('replay');
  });
});

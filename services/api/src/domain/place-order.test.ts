import { describe, expect, it } from 'vitest';
import type { Order } from '../data-access/order-repository.ts';
import { hashOrderRequest } from './order-request.ts';
import { decideForPrevious } from './place-order.ts';

const request = {
  items: [
    { productId: 'mug-stoneware', quantity: 1 },
    { productId: 'grinder-burr', quantity: 2 },
  ],
  customer: { email: 'Ada@Approve.test' },
};

function previousOrder(status: Order['status'], requestHash = hashOrderRequest(request)): Order {
  return {
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
  };
}

describe('hashOrderRequest', () => {
  it('when the same order lists its items in another order or changes email case, then the hash is the same', () => {
    const reordered = { items: [...request.items].reverse(), customer: { email: 'ada@approve.test' } };
    expect(hashOrderRequest(reordered)).toBe(hashOrderRequest(request));
  });

  it('when a quantity differs, then the hash differs', () => {
    const more = { ...request, items: [{ productId: 'mug-stoneware', quantity: 2 }, request.items[1]!] };
    expect(hashOrderRequest(more)).not.toBe(hashOrderRequest(request));
  });
});

describe('decideForPrevious (a key seen before)', () => {
  it('when the request differs from the stored one, then the key reuse is refused', () => {
    expect(decideForPrevious(previousOrder('paid', 'other'), hashOrderRequest(request))).toBe('reject_reused_key');
  });

  it('when the stored order never got a payment answer, then its charge is resumed', () => {
    expect(decideForPrevious(previousOrder('pending'), hashOrderRequest(request))).toBe('resume_charge');
  });

  it.each(['paid', 'payment_failed', 'fulfilled'] as const)('when the stored order is %s, then it is replayed', (status) => {
    expect(decideForPrevious(previousOrder(status), hashOrderRequest(request))).toBe('replay');
  });
});

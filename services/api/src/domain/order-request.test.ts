import { describe, expect, it } from 'vitest';
import { hashOrderRequest } from './order-request.ts';

const request = {
  items: [
    { productId: 'mug-stoneware', quantity: 1 },
    { productId: 'grinder-burr', quantity: 2 },
  ],
  customer: { email: 'Ada@Approve.test' },
};

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

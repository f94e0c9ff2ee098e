import { describe, expect, it } from 'vitest';
import { requestHash } from './request-hash.ts';

describe('request hash', () => {
  it('when the same request is written with its keys in another order, then the hash is the same', () => {
    const a = { orderId: 'o1', amountCents: 100, currency: 'EUR', customer: { email: 'a@b.c' } };
    const b = { customer: { email: 'a@b.c' }, currency: 'EUR', amountCents: 100, orderId: 'o1' };
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('when any value differs, then the hash differs', () => {
    const a = { orderId: 'o1', amountCents: 100, currency: 'EUR', customer: { email: 'a@b.c' } };
    expect(requestHash(a)).not.toBe(requestHash({ ...a, amountCents: 101 }));
    expect(requestHash(a)).not.toBe(requestHash({ ...a, customer: { email: 'x@b.c' } }));
  });
});

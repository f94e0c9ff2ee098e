import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './idempotency.ts';

describe('request fingerprint', () => {
  it('when the same request is written with its keys in another order, then the fingerprint is the same', () => {
    const a = { orderId: 'o1', amountCents: 100, currency: 'EUR', customer: { email: 'a@b.c' } };
    const b = { customer: { email: 'a@b.c' }, currency: 'EUR', amountCents: 100, orderId: 'o1' };
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
  });

  it('when any value differs, then the fingerprint differs', () => {
    const a = { orderId: 'o1', amountCents: 100, currency: 'EUR', customer: { email: 'a@b.c' } };
    expect(requestFingerprint(a)).not.toBe(requestFingerprint({ ...a, amountCents: 101 }));
    expect(requestFingerprint(a)).not.toBe(requestFingerprint({ ...a, customer: { email: 'x@b.c' } }));
  });

  it("when an array changes order, then the fingerprint differs (order of items is the caller's to normalise)", () => {
    expect(requestFingerprint({ items: [1, 2] })).not.toBe(requestFingerprint({ items: [2, 1] }));
  });
});

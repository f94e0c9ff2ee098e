import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayFault } from '../src/index.ts';
import { chargeBody, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

describe('GET /payments/charges/by-key/:idempotencyKey', () => {
  let payments: TestPayments;
  let nextFault: GatewayFault | undefined;
  const lookUp = (key: string) => fetch(`${payments.url}/payments/charges/by-key/${encodeURIComponent(key)}`);

  beforeAll(async () => {
    payments = await startTestPayments({}, { gatewayFaults: () => nextFault });
  });
  afterAll(() => payments?.close());

  it('when a charge was approved, then the lookup answers it with its id and status', async () => {
    const key = `order-${randomUUID()}`;
    const charged = await json(await postCharge(payments.url, chargeBody(), { idempotencyKey: key }));

    const res = await lookUp(key);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await json(res)).toEqual(charged);
  });

  it('when the card network failed the charge, then the lookup says failed with the reason', async () => {
    const key = `order-${randomUUID()}`;
    nextFault = { mode: 'gateway-error' };
    try {
      expect((await postCharge(payments.url, chargeBody(), { idempotencyKey: key })).status).toBe(502);
    } finally {
      nextFault = undefined;
    }

    const charge = await json(await lookUp(key));

    expect(charge).toMatchObject({ status: 'failed', reason: 'gateway_error' });
  });

  it('when no charge was ever requested with the key, then 404 not_found as problem+json', async () => {
    const res = await lookUp(`order-${randomUUID()}`);

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(res)).code).toBe('not_found');
  });

  it('when the key is longer than any Idempotency-Key can be, then 400 naming idempotencyKey', async () => {
    const res = await lookUp('k'.repeat(201));

    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: { field: string }) => e.field)).toContain('idempotencyKey');
  });
});

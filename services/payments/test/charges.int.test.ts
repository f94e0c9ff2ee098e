import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayFault } from '../src/index.ts';
import { requestFingerprint } from '@firedrill/kit';
import { chargeBody, chargeRows, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

describe('POST /payments/charges', () => {
  let payments: TestPayments;
  /** What the simulated card network should do next; undefined lets it behave normally. */
  let nextFault: GatewayFault | undefined;

  beforeAll(async () => {
    payments = await startTestPayments({}, { gatewayFaults: () => nextFault });
  });
  afterAll(() => payments?.close());

  it('when an ordinary customer pays, then 201 approved and the charge is stored', async () => {
    const body = chargeBody();
    const key = randomUUID();
    const res = await postCharge(payments.url, body, { idempotencyKey: key });

    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const charge = await json(res);
    expect(charge).toEqual({
      id: expect.any(String),
      orderId: body.orderId,
      status: 'approved',
      reason: null,
      amountCents: 2490,
      currency: 'EUR',
      createdAt: expect.any(String),
    });
    const rows = await chargeRows(payments.db, { idempotencyKey: key });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: charge.id, order_id: body.orderId, status: 'approved', amount_cents: 2490, attempts: 1 });
    expect(rows[0].completed_at).toBeInstanceOf(Date);
  });

  it('when the customer is at decline.test, then 402 declined with card_declined and the decline is stored', async () => {
    const body = chargeBody({ customer: { email: 'bob@decline.test' } });
    const key = randomUUID();
    const res = await postCharge(payments.url, body, { idempotencyKey: key });

    expect(res.status).toBe(402);
    expect(await json(res)).toMatchObject({ orderId: body.orderId, status: 'declined', reason: 'card_declined', amountCents: 2490 });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ status: 'declined', reason: 'card_declined' }]);
  });

  it('when the same request is sent twice with one key, then the stored answer is replayed and only one charge exists', async () => {
    const body = chargeBody();
    const key = randomUUID();
    const first = await postCharge(payments.url, body, { idempotencyKey: key });
    const second = await postCharge(payments.url, body, { idempotencyKey: key });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(second)).toEqual(await json(first));
    expect(await chargeRows(payments.db, { orderId: body.orderId })).toHaveLength(1);
  });

  it('when a declined request is replayed, then the answer is the same 402, not a new attempt', async () => {
    const body = chargeBody({ customer: { email: 'bob@decline.test' } });
    const key = randomUUID();
    const first = await json(await postCharge(payments.url, body, { idempotencyKey: key }));
    const again = await postCharge(payments.url, body, { idempotencyKey: key });

    expect(again.status).toBe(402);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(again)).toEqual(first);
  });

  it('when the same key comes with JSON keys in another order, then it is the same request and is replayed', async () => {
    const key = randomUUID();
    const orderId = `order-${randomUUID()}`;
    await postCharge(payments.url, { orderId, amountCents: 100, currency: 'EUR', customer: { email: 'a@example.com' } }, { idempotencyKey: key });
    const res = await postCharge(payments.url, { customer: { email: 'a@example.com' }, currency: 'EUR', amountCents: 100, orderId }, { idempotencyKey: key });

    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when a key is reused for a different body, then 422 idempotency_key_reused and nothing new is charged', async () => {
    const body = chargeBody();
    const key = randomUUID();
    await postCharge(payments.url, body, { idempotencyKey: key });
    const res = await postCharge(payments.url, { ...body, amountCents: 9_999 }, { idempotencyKey: key });

    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(res)).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ amount_cents: 2490, status: 'approved' }]);
  });

  it('when many requests with one key arrive at once, then exactly one charge is made and none fails with 500', async () => {
    const body = chargeBody();
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 12 }, () => postCharge(payments.url, body, { idempotencyKey: key })));
    const statuses = responses.map((r) => r.status);

    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    const ids = new Set<string>();
    for (const res of responses) {
      const answer = await json(res);
      if (res.status === 201) ids.add(answer.id);
      else expect(answer.code).toBe('request_in_progress');
    }
    expect(ids.size).toBe(1);
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toHaveLength(1);
  });

  it('when the card network fails, then 502 gateway_error, the charge is stored failed, and a retry with the same key charges again', async () => {
    const body = chargeBody();
    const key = randomUUID();
    nextFault = { mode: 'gateway-error' };
    const failed = await postCharge(payments.url, body, { idempotencyKey: key });
    nextFault = undefined;

    expect(failed.status).toBe(502);
    expect(failed.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(failed);
    expect(problem).toMatchObject({ code: 'gateway_error', reason: 'gateway_error' });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ status: 'failed', reason: 'gateway_error' }]);

    const retried = await postCharge(payments.url, body, { idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await json(retried)).toMatchObject({ id: problem.chargeId, status: 'approved' });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ status: 'approved', reason: null, attempts: 2 }]);
  });

  /** A charge row as a process would leave it mid-call, `attemptedAgo` before now. */
  async function leaveProcessing(key: string, body: ReturnType<typeof chargeBody>, attemptedAgo: string): Promise<string> {
    const id = randomUUID();
    await payments.db.query(
      `INSERT INTO payments.charges (id, idempotency_key, request_hash, order_id, amount_cents, currency, customer_email, status, created_at, attempted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'processing', now() - $8::interval, now() - $8::interval)`,
      [id, key, requestFingerprint(body), body.orderId, body.amountCents, body.currency, body.customer.email, attemptedAgo],
    );
    return id;
  }

  it('when the same key is still being processed, then 409 request_in_progress and the card is not charged again', async () => {
    const body = chargeBody();
    const key = randomUUID();
    await leaveProcessing(key, body, '1 second');

    const res = await postCharge(payments.url, body, { idempotencyKey: key });
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ code: 'request_in_progress' });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ status: 'processing', attempts: 1 }]);
  });

  it('when a charge was left processing by a process that died over a minute ago, then a retry with its key completes it', async () => {
    const body = chargeBody();
    const key = randomUUID();
    const id = await leaveProcessing(key, body, '2 minutes');

    const res = await postCharge(payments.url, body, { idempotencyKey: key });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ id, status: 'approved' });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toMatchObject([{ id, status: 'approved', attempts: 2 }]);
  });

  it('when the card network does not answer in time, then 502 gateway_error with reason gateway_timeout', async () => {
    nextFault = { mode: 'timeout' };
    const res = await postCharge(payments.url, chargeBody());
    nextFault = undefined;

    expect(res.status).toBe(502);
    expect(await json(res)).toMatchObject({ code: 'gateway_error', reason: 'gateway_timeout' });
  });
});

describe('charge logs', () => {
  it('when a charge is made, then its outcome is logged with the customer domain but never the address', async () => {
    const lines: string[] = [];
    const { createLogger } = await import('@firedrill/kit');
    const logger = createLogger('payments', 'info', { write: (line: string) => void lines.push(line) });
    const payments = await startTestPayments({}, { logger });
    try {
      const res = await postCharge(payments.url, chargeBody({ customer: { email: 'grace.hopper@approve.test' } }));
      expect(res.status).toBe(201);
    } finally {
      await payments.close();
    }
    const outcome = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'charge approved');
    expect(outcome).toMatchObject({ level: 'info', status: 'approved', customerDomain: 'approve.test' });
    expect(lines.join('\n')).not.toContain('grace.hopper');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeBody, chargeRows, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

/** Every refused request answers problem+json with a stable code and names what was wrong. */
async function expectProblem(res: Response, status: number, code: string, field: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = await json(res);
  expect(problem.code).toBe(code);
  expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
  return problem;
}

describe('POST /payments/charges validation', () => {
  let payments: TestPayments;
  beforeAll(async () => {
    payments = await startTestPayments();
  });
  afterAll(() => payments?.close());

  it('when the Idempotency-Key header is missing, then 400 idempotency_key_required', async () => {
    await expectProblem(await postCharge(payments.url, chargeBody(), { idempotencyKey: null }), 400, 'idempotency_key_required', 'Idempotency-Key');
  });

  it('when the Idempotency-Key header is empty or longer than 200 characters, then 400 naming the header', async () => {
    await expectProblem(await postCharge(payments.url, chargeBody(), { idempotencyKey: '' }), 400, 'validation_failed', 'Idempotency-Key');
    await expectProblem(await postCharge(payments.url, chargeBody(), { idempotencyKey: 'k'.repeat(201) }), 400, 'validation_failed', 'Idempotency-Key');
  });

  it('when the Idempotency-Key is exactly 200 characters, then the charge is accepted', async () => {
    expect((await postCharge(payments.url, chargeBody(), { idempotencyKey: 'k'.repeat(200) })).status).toBe(201);
  });

  it('when required fields are missing, then 400 names every one of them', async () => {
    const problem = await expectProblem(await postCharge(payments.url, {}), 400, 'validation_failed', 'orderId');
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amountCents', 'currency', 'customer', 'orderId']);
  });

  it.each([
    ['amountCents', { amountCents: '2490' }],
    ['amountCents', { amountCents: 24.9 }],
    ['amountCents', { amountCents: 0 }],
    ['amountCents', { amountCents: -100 }],
    ['amountCents', { amountCents: 1e12 }],
    ['currency', { currency: 'euro' }],
    ['currency', { currency: 'eur' }],
    ['currency', { currency: 978 }],
    ['orderId', { orderId: '' }],
    ['orderId', { orderId: 42 }],
    ['customer.email', { customer: { email: 'not-an-email' } }],
    ['customer.email', { customer: {} }],
    ['customer', { customer: 'ada@example.com' }],
  ])('when %s is invalid (%j), then 400 validation_failed names it', async (field, overrides) => {
    await expectProblem(await postCharge(payments.url, chargeBody(overrides)), 400, 'validation_failed', field);
  });

  it('when the body is not JSON, then 400 malformed_json', async () => {
    await expectProblem(await postCharge(payments.url, undefined, { rawBody: '{"orderId": "o1", ' }), 400, 'malformed_json', '(body)');
  });

  it('when the body is a JSON array, then 400 validation_failed for the body', async () => {
    await expectProblem(await postCharge(payments.url, [chargeBody()]), 400, 'validation_failed', '(body)');
  });

  it('when the body is larger than the limit, then 413 payload_too_large', async () => {
    await expectProblem(await postCharge(payments.url, chargeBody({ orderId: 'x'.repeat(20_000) })), 413, 'payload_too_large', '(body)');
  });

  it('when the content type is not JSON, then 415 unsupported_media_type naming Content-Type', async () => {
    const res = await postCharge(payments.url, undefined, { rawBody: 'orderId=o1&amountCents=100', contentType: 'application/x-www-form-urlencoded' });
    await expectProblem(res, 415, 'unsupported_media_type', 'Content-Type');
  });

  it('when a request is refused, then nothing is stored under its key', async () => {
    const key = 'refused-request-key';
    await postCharge(payments.url, chargeBody({ amountCents: -1 }), { idempotencyKey: key });
    expect(await chargeRows(payments.db, { idempotencyKey: key })).toHaveLength(0);
  });

  it('when the path is not an endpoint, then 404 route_not_found as problem+json', async () => {
    const res = await fetch(`${payments.url}/payments/refunds`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('route_not_found');
  });
});

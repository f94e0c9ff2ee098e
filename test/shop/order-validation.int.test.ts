import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shop, anOrder, newKey, type Json } from './helpers/shop.ts';

/** Asserts a problem+json answer with `code`, naming `field` among its errors; returns the body. */
async function expectProblem(res: Response, status: number, code: string, field?: string): Promise<Json> {
  const body = (await res.json()) as Json;
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(body.code).toBe(code);
  if (field !== undefined) expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  return body;
}

describe('order intake validation', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.start();
  });
  afterAll(() => shop?.close());

  it('when the Idempotency-Key header is missing, then 400 idempotency_key_required', async () => {
    await expectProblem(await shop.placeOrder(anOrder(), undefined), 400, 'idempotency_key_required', 'Idempotency-Key');
  });

  it('when the Idempotency-Key is longer than 200 characters, then 400 naming the header', async () => {
    await expectProblem(await shop.placeOrder(anOrder(), 'k'.repeat(201)), 400, 'validation_failed', 'Idempotency-Key');
  });

  it('when the body has an unknown field, then 400 naming it', async () => {
    await expectProblem(await shop.placeOrder({ ...anOrder(), coupon: 'FREE' }, newKey()), 400, 'validation_failed', 'coupon');
  });

  it('when an item has an unknown field, then 400 naming it', async () => {
    const body = anOrder('a@approve.test', [{ productId: 'mug-stoneware', quantity: 1, quantiy: 3 } as never]);
    await expectProblem(await shop.placeOrder(body, newKey()), 400, 'validation_failed', 'items.0.quantiy');
  });

  it('when the customer has an unknown field, then 400 naming it', async () => {
    const body = { ...anOrder(), customer: { email: 'a@approve.test', name: 'Ada' } };
    await expectProblem(await shop.placeOrder(body, newKey()), 400, 'validation_failed', 'customer.name');
  });

  it('when there are no items, then 400 naming items', async () => {
    await expectProblem(await shop.placeOrder(anOrder('a@approve.test', []), newKey()), 400, 'validation_failed', 'items');
  });

  it('when there are more than 50 items, then 400 naming items', async () => {
    const items = Array.from({ length: 51 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 }));
    await expectProblem(await shop.placeOrder(anOrder('a@approve.test', items), newKey()), 400, 'validation_failed', 'items');
  });

  it('when a product appears twice, then 400 naming the duplicate', async () => {
    const items = [
      { productId: 'mug-stoneware', quantity: 1 },
      { productId: 'mug-stoneware', quantity: 2 },
    ];
    await expectProblem(await shop.placeOrder(anOrder('a@approve.test', items), newKey()), 400, 'validation_failed', 'items.1.productId');
  });

  it.each([
    ['zero', 0],
    ['above 100', 101],
    ['fractional', 1.5],
    ['a string', '2'],
  ])('when a quantity is %s, then 400 naming it', async (_label, quantity) => {
    const items = [{ productId: 'mug-stoneware', quantity: quantity as number }];
    await expectProblem(await shop.placeOrder(anOrder('a@approve.test', items), newKey()), 400, 'validation_failed', 'items.0.quantity');
  });

  it('when the email is not an email, then 400 naming customer.email', async () => {
    await expectProblem(await shop.placeOrder(anOrder('not-an-email'), newKey()), 400, 'validation_failed', 'customer.email');
  });

  it('when the customer is missing, then 400 naming customer', async () => {
    await expectProblem(await shop.placeOrder({ items: anOrder().items }, newKey()), 400, 'validation_failed', 'customer');
  });

  it('when several fields are wrong, then every one is named', async () => {
    const body = { items: [{ productId: '', quantity: 0 }], customer: { email: 'nope' } };
    const problem = await expectProblem(await shop.placeOrder(body, newKey()), 400, 'validation_failed');
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['customer.email', 'items.0.productId', 'items.0.quantity']);
  });

  it('when a product does not exist, then 422 unknown_product naming it, and no order is stored', async () => {
    const before = await shop.orderRows();
    const items = [
      { productId: 'mug-stoneware', quantity: 1 },
      { productId: 'teapot', quantity: 1 },
    ];
    const problem = await expectProblem(await shop.placeOrder(anOrder('a@approve.test', items), newKey()), 422, 'unknown_product', 'items.1.productId');
    expect(problem.detail).toContain('teapot');
    expect(await shop.orderRows()).toBe(before);
  });

  it('when the body is not valid JSON, then 400 malformed_json', async () => {
    await expectProblem(await shop.placeOrder(undefined, newKey(), { rawBody: '{"items": [' }), 400, 'malformed_json', '(body)');
  });

  it('when the body is larger than the limit, then 413 payload_too_large', async () => {
    const huge = JSON.stringify({ ...anOrder(), padding: 'x'.repeat(64 * 1024) });
    await expectProblem(await shop.placeOrder(undefined, newKey(), { rawBody: huge }), 413, 'payload_too_large', '(body)');
  });

  it('when the content type is not JSON, then 415 unsupported_media_type', async () => {
    const res = await shop.placeOrder(undefined, newKey(), { rawBody: 'items=1', contentType: 'application/x-www-form-urlencoded' });
    await expectProblem(res, 415, 'unsupported_media_type', 'Content-Type');
  });

  it('when a request was refused, then no order was stored for its key', async () => {
    const key = newKey();
    await shop.placeOrder(anOrder('not-an-email'), key);
    const res = await shop.placeOrder(anOrder(), key);
    expect(res.status).toBe(201);
  });
});

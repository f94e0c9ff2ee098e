import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shop, anOrder, newKey, type Json } from './helpers/shop.ts';

/**
 * A small corpus of hostile input, sent to the api and to payments: whatever arrives, the answer
 * is a 4xx problem+json, never a 5xx. Strings Postgres cannot store (NUL, lone surrogates) are
 * refused with 400 validation_failed naming the field.
 */

const nul = 'ord\u0000er';
const loneSurrogate = 'ord\ud800er';
const deepJson = `${'['.repeat(12_000)}${']'.repeat(12_000)}`;

interface Case {
  name: string;
  send: (shop: Shop) => Promise<Response>;
  /** When given: the answer must be 400 validation_failed naming this field. */
  field?: string;
}

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': newKey(), ...headers }, body });
}

const order = (shop: Shop, body: unknown, headers: Record<string, string> = {}) => post(`${shop.api.url}/api/orders`, JSON.stringify(body), headers);
const item = (productId: unknown, quantity: unknown = 1) => anOrder('ada@approve.test', [{ productId, quantity } as never]);

const apiCases: Case[] = [
  { name: 'NUL in a productId', send: (s) => order(s, item(nul)), field: 'items.0.productId' },
  { name: 'a lone surrogate in a productId', send: (s) => order(s, item(loneSurrogate)), field: 'items.0.productId' },
  { name: 'NUL in the email', send: (s) => order(s, anOrder('ada\u0000@approve.test')), field: 'customer.email' },
  { name: 'a lone surrogate in the email', send: (s) => order(s, anOrder('ada\udc00@approve.test')), field: 'customer.email' },
  { name: 'NUL in a product id in the path', send: (s) => fetch(`${s.api.url}/api/products/espresso%00`), field: 'id' },
  { name: 'an encoded lone surrogate in the path', send: (s) => fetch(`${s.api.url}/api/products/%ED%A0%80`) },
  { name: 'a broken percent-escape in the path', send: (s) => fetch(`${s.api.url}/api/products/%E0%A4%A`) },
  { name: 'NUL in an order id in the path', send: (s) => fetch(`${s.api.url}/api/orders/%00`), field: 'id' },
  { name: 'a huge quantity', send: (s) => order(s, item('espresso-beans-1kg', 1e308)), field: 'items.0.quantity' },
  {
    name: 'a quantity beyond float range',
    send: (s) => post(`${s.api.url}/api/orders`, '{"items":[{"productId":"mug-stoneware","quantity":1e400}],"customer":{"email":"a@b.test"}}'),
  },
  { name: 'deeply nested JSON', send: (s) => post(`${s.api.url}/api/orders`, deepJson) },
  { name: 'items of the wrong type', send: (s) => order(s, { items: 'all of them', customer: { email: 7 } }), field: 'items' },
  { name: 'a 10 000-character productId', send: (s) => order(s, item('x'.repeat(10_000))), field: 'items.0.productId' },
  { name: 'a 10 000-character product id in the path', send: (s) => fetch(`${s.api.url}/api/products/${'x'.repeat(10_000)}`), field: 'id' },
  { name: 'a 10 000-character Idempotency-Key', send: (s) => order(s, anOrder(), { 'idempotency-key': 'k'.repeat(10_000) }), field: 'Idempotency-Key' },
  { name: 'a Latin-1 Idempotency-Key', send: (s) => order(s, anOrder(), { 'idempotency-key': `caf\u00e9-${newKey()}` }) },
  { name: 'a UTF-16 charset', send: (s) => order(s, anOrder(), { 'content-type': 'application/json; charset=utf-16' }) },
  { name: 'a JSON body on a GET', send: (s) => fetch(`${s.api.url}/api/products`, { headers: { 'content-type': 'application/json' }, method: 'GET' }) },
];

const charge = (shop: Shop, overrides: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post(
    `${shop.payments!.url}/payments/charges`,
    JSON.stringify({ orderId: `order-${newKey()}`, amountCents: 2490, currency: 'EUR', customer: { email: 'ada@example.com' }, ...overrides }),
    headers,
  );

const paymentsCases: Case[] = [
  { name: 'NUL in the orderId', send: (s) => charge(s, { orderId: nul }), field: 'orderId' },
  { name: 'a lone surrogate in the orderId', send: (s) => charge(s, { orderId: loneSurrogate }), field: 'orderId' },
  { name: 'a lone surrogate in the email', send: (s) => charge(s, { customer: { email: 'ada\ud800@example.com' } }), field: 'customer.email' },
  { name: 'a huge amount', send: (s) => charge(s, { amountCents: 1e308 }), field: 'amountCents' },
  { name: 'an amount of the wrong type', send: (s) => charge(s, { amountCents: '2490' }), field: 'amountCents' },
  { name: 'a currency of the wrong type', send: (s) => charge(s, { currency: ['EUR'] }), field: 'currency' },
  { name: 'a 10 000-character orderId', send: (s) => charge(s, { orderId: 'o'.repeat(10_000) }), field: 'orderId' },
  { name: 'deeply nested JSON', send: (s) => post(`${s.payments!.url}/payments/charges`, deepJson) },
  { name: 'an empty Idempotency-Key', send: (s) => charge(s, {}, { 'idempotency-key': '' }), field: 'Idempotency-Key' },
  { name: 'a Latin-1 Idempotency-Key', send: (s) => charge(s, {}, { 'idempotency-key': `\u00ff\u00fe-${newKey()}` }) },
];

describe('hostile input', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await Shop.start();
  });
  afterAll(() => shop?.close());

  describe.each([
    ['api', apiCases],
    ['payments', paymentsCases],
  ])('%s', (_service, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('when it gets %s, then it answers 4xx, never 5xx', async (_name, testCase) => {
      const res = await testCase.send(shop);
      const text = await res.text();
      expect(res.status, text).toBeGreaterThanOrEqual(200);
      expect(res.status, text).toBeLessThan(500);
      if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (testCase.field !== undefined) {
        const problem = JSON.parse(text) as Json;
        expect(res.status).toBe(400);
        expect(problem.code).toBe('validation_failed');
        expect(problem.errors.map((e: { field: string }) => e.field)).toContain(testCase.field);
      }
    });
  });
});

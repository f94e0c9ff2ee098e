/**
 * A shopper's visit: browse the catalogue, look at one to three products, and sometimes buy 1–5
 * of them, with the pauses of someone reading a page. Each iteration is one visit; visits arrive
 * at the rate of the chosen profile (lib/arrival-stages.ts), whatever the shop's speed.
 *
 * Env: BASE_URL (the api), PROFILE (smoke|steady|ramp|spike|soak), RATE (visits/s), DURATION,
 * THINK_SCALE (multiplies every pause; 1 = realistic, CI uses less), CHECKOUT_SHARE (visits that
 * buy, default 0.3), DECLINE_SHARE (buyers whose card is declined: decline.test, default 0.05).
 * Every request carries `step` (browse, product, checkout); run with `--tag testid=<run>`.
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { Options } from 'k6/options';
import { arrivalScenario, loadShapeFromEnv } from './lib/arrival-stages.ts';

interface Product {
  id: string;
  name: string;
  priceCents: number;
}

type Step = 'browse' | 'product' | 'checkout';

function shareFromEnv(name: string, fallback: number): number {
  const raw = __ENV[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name}=${raw} must be a share between 0 and 1`);
  return value;
}

const baseUrl = (__ENV.BASE_URL || 'http://127.0.0.1:7400').replace(/\/+$/, '');
const thinkScale = Number(__ENV.THINK_SCALE || 1);
if (!Number.isFinite(thinkScale) || thinkScale < 0) throw new Error(`THINK_SCALE=${__ENV.THINK_SCALE} must be a number ≥ 0`);
const checkoutShare = shareFromEnv('CHECKOUT_SHARE', 0.3);
const declineShare = shareFromEnv('DECLINE_SHARE', 0.05);

/** Pauses in seconds (before scaling): reading the catalogue, reading a product page. */
const pauses = { catalogue: [2, 6], product: [2, 8] } as const;
/** A visit's usual length: the catalogue pause plus two product pauses, at their means, plus requests. */
const journeySeconds = (4 + 2 * 5) * thinkScale + 1;

export const options: Options = {
  scenarios: { journey: arrivalScenario(loadShapeFromEnv(__ENV), journeySeconds) },
  thresholds: {
    // Declines answered 402 to decline.test buyers are expected (see checkout), so this counts
    // only what a shopper would call broken: errors, timeouts, unexpected declines.
    http_req_failed: ['rate<0.05'],
    'http_req_duration{step:browse}': ['p(95)<500'],
    'http_req_duration{step:product}': ['p(95)<500'],
    // A checkout waits for the card network (a few hundred ms, with a long tail).
    'http_req_duration{step:checkout}': ['p(95)<2000'],
    checks: ['rate>0.95'],
  },
  // k6's defaults minus `url`: one series per product id would add nothing that `name` lacks.
  systemTags: ['proto', 'subproto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'tls_version', 'scenario', 'expected_response'],
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  // Only the catalogue's body is read (browse asks for it); k6 keeps no other, saving its CPU
  // on the same machine as the shop (docs/decisions/0003).
  discardResponseBodies: true,
};

function think([min, max]: readonly [number, number]): void {
  if (thinkScale > 0) sleep((min + Math.random() * (max - min)) * thinkScale);
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** `count` distinct elements, in random order. */
function pick<T>(items: readonly T[], count: number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

function tags(step: Step, name: string): { step: Step; name: string } {
  return { step, name };
}

function browse(): Product[] {
  const res = http.get(`${baseUrl}/api/products`, { tags: tags('browse', 'GET /api/products'), responseType: 'text' });
  const products = res.status === 200 ? parseProducts(res) : [];
  check(res, { 'catalogue listed (200)': () => products.length > 0 }, { step: 'browse' });
  return products;
}

function parseProducts(res: RefinedResponse<ResponseType | undefined>): Product[] {
  try {
    return (res.json() as unknown as Product[]).filter((p) => typeof p?.id === 'string');
  } catch {
    return [];
  }
}

function viewProduct(product: Product): void {
  const res = http.get(`${baseUrl}/api/products/${encodeURIComponent(product.id)}`, { tags: tags('product', 'GET /api/products/:id') });
  check(res, { 'product shown (200)': (r) => r.status === 200 }, { step: 'product' });
}

/** One order; the key is new per order, as a client that would retry it must keep it. */
function checkout(basket: Product[]): void {
  const declines = Math.random() < declineShare;
  const vu = exec.vu.idInTest;
  const email = `shopper-${vu}-${exec.vu.iterationInScenario}@${declines ? 'decline.test' : 'approve.test'}`;
  const idempotencyKey = `journey-${Date.now().toString(36)}-${vu}-${Math.random().toString(36).slice(2, 10)}`;
  const items = basket.map((p) => ({ productId: p.id, quantity: Math.random() < 0.8 ? 1 : randomInt(2, 3) }));
  const expected = declines ? 402 : 201;
  const res = http.post(`${baseUrl}/api/orders`, JSON.stringify({ items, customer: { email } }), {
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    tags: tags('checkout', 'POST /api/orders'),
    // A test customer at decline.test is meant to be declined: that 402 is the shop working.
    responseCallback: http.expectedStatuses(expected),
  });
  check(res, { [declines ? 'declined as the card says (402)' : 'order accepted (201)']: (r) => r.status === expected }, { step: 'checkout' });
}

export default function journey(): void {
  const catalogue = browse();
  if (catalogue.length === 0) return; // nothing to look at: the shopper leaves
  think(pauses.catalogue);

  const viewed = pick(catalogue, randomInt(1, 3));
  for (const product of viewed) {
    viewProduct(product);
    think(pauses.product);
  }

  if (Math.random() >= checkoutShare) return;
  // The basket: what was looked at, topped up from the catalogue, 1–5 different products.
  const size = Math.min(randomInt(1, 5), catalogue.length);
  const others = pick(
    catalogue.filter((p) => !viewed.includes(p)),
    Math.max(0, size - viewed.length),
  );
  checkout([...viewed, ...others].slice(0, size));
}

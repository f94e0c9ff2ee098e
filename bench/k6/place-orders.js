// k6 load for POST /api/orders. Customers at approve.test always pay, so every non-201 is an error.
// Two models:
// - RATE (default): a constant arrival rate (open model, so a slow shop does not lower the
//   offered load) — for latency at a given load;
// - VUS: that many virtual users placing orders back to back (closed model) — for the most
//   orders/s the shop can take, e.g. to compare two configurations.
// Env: BASE_URL, RATE (orders/s) or VUS, DURATION (e.g. 20s), RUN_ID (unique per run), SUMMARY (path).
import http from 'k6/http';
import { check } from 'k6';

const rate = Number(__ENV.RATE || 100);
const duration = __ENV.DURATION || '20s';

export const options = {
  // Only the status is checked: k6 keeps no body (its CPU counts in bench:checkout-cpu's figures).
  discardResponseBodies: true,
  scenarios: {
    orders: __ENV.VUS
      ? { executor: 'constant-vus', vus: Number(__ENV.VUS), duration }
      : {
          executor: 'constant-arrival-rate',
          rate,
          timeUnit: '1s',
          duration,
          preAllocatedVUs: Math.max(20, Math.ceil(rate / 5)),
          maxVUs: Math.max(100, rate * 2),
        },
  },
  // k6 tags every sample with these; its defaults also add url, ip, proto, tls_version, group …,
  // which nothing here reads (the benches read the summary's metrics, http_req_failed needs
  // expected_response): fewer tags, less of k6's CPU on the shop's machine (docs/decisions/0003).
  systemTags: ['status', 'method', 'name', 'check', 'error', 'error_code', 'scenario', 'expected_response'],
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
};

const products = [
  'espresso-beans-1kg',
  'filter-beans-500g',
  'grinder-burr',
  'kettle-gooseneck',
  'dripper-ceramic',
  'paper-filters-100',
  'scale-timer',
  'mug-stoneware',
];
const baseUrl = __ENV.BASE_URL || 'http://127.0.0.1:7400';
const runId = __ENV.RUN_ID || String(Date.now());

export default function () {
  const key = `${runId}-${__VU}-${__ITER}`;
  const body = JSON.stringify({
    items: [{ productId: products[(__VU + __ITER) % products.length], quantity: 1 + (__ITER % 3) }],
    customer: { email: `load-${__VU}@approve.test` },
  });
  const res = http.post(`${baseUrl}/api/orders`, body, {
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    tags: { name: 'POST /api/orders' },
  });
  check(res, { 'order paid (201)': (r) => r.status === 201 });
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY || 'summary.json']: JSON.stringify(data) };
}

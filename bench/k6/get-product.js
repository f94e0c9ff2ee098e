// k6 closed-model load on one catalogue read (GET /api/products/:id): as many requests as VUS
// virtual users can make, to compare throughput between two api instances.
// Env: BASE_URL, VUS (default 20), DURATION (default 10s), SUMMARY (path).
import http from 'k6/http';

export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '10s',
  summaryTrendStats: ['med', 'p(95)', 'p(99)'],
};

export default function () {
  http.get(`${__ENV.BASE_URL}/api/products/mug-stoneware`, { tags: { name: 'GET /api/products/:id' } });
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY || 'summary.json']: JSON.stringify(data) };
}

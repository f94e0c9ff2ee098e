/**
 * Every dashboard query, run against a real native lab's Prometheus while the shop is under load
 * (k6 remote-writing its own series into that Prometheus, declined cards, unknown orders,
 * readiness probes, and two active faults), returns data. A panel that says "No data" during an
 * exercise is a panel a trainee cannot use.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';
import { spawnK6, type K6Process } from '@firedrill/training';
import { dashboardQueries, resolveGrafanaVariables } from './dashboard-queries.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * Queries allowed to come back empty, and why. Empty on purpose: every query that can
 * legitimately have nothing to show (no failures yet, no dropped iterations) already reads 0
 * through `or vector(0)` or the ratio helper, so nothing needs an exemption today.
 */
const mayBeEmpty: Record<string, string> = {};

let lab: NativeLab;
let k6: K6Process | undefined;
let scratch: string;
let loading = true;
let background: Promise<void> = Promise.resolve();

async function instantQuery(expr: string): Promise<{ ok: boolean; results: number; values: number[]; error?: string }> {
  const res = await fetch(`${lab.url('prometheus')}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: lab.prometheusAuthorization },
    body: new URLSearchParams({ query: expr }),
  });
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ value: [number, string] }> } };
  const result = body.data?.result ?? [];
  return {
    ok: res.ok && body.status === 'success',
    results: result.length,
    values: result.map((r) => Number(r.value[1])),
    ...(body.error && { error: body.error }),
  };
}

/** Requests k6 does not make: declined cards (402), unknown orders (404), product reads, readiness. */
async function trafficLoop(): Promise<void> {
  const api = lab.url('api');
  while (loading) {
    await Promise.allSettled([
      fetch(`${api}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ items: [{ productId: 'mug-stoneware', quantity: 1 }], customer: { email: `buyer-${randomUUID().slice(0, 6)}@decline.test` } }),
      }).then((r) => r.arrayBuffer()),
      fetch(`${api}/api/orders/${randomUUID()}`).then((r) => r.arrayBuffer()),
      fetch(`${api}/api/products`).then((r) => r.arrayBuffer()),
      fetch(`${api}/api/health/ready`).then((r) => r.arrayBuffer()),
      fetch(`${lab.url('payments')}/payments/health/ready`).then((r) => r.arrayBuffer()),
      fetch(`${lab.url('worker')}/health/ready`).then((r) => r.arrayBuffer()),
    ]);
    await sleep(250);
  }
}

beforeAll(async () => {
  lab = await startNativeLab();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-grafana-'));
  for (const fault of [
    { family: 'errors', target: 'api', route: 'GET /api/products', rate: 0.5, status: 503 },
    { family: 'payment-failures', mode: 'gateway-error', rate: 0.2 },
  ]) {
    const res = await lab.chaos('POST', '/api/faults', { for: '5m', ...fault });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  // A deploy, so the deploy markers have something to draw.
  const deploy = await lab.lab('deploy', 'payments', '2.4.0');
  expect(deploy.code, deploy.stderr).toBe(0);

  k6 = spawnK6({
    script: path.join(repoRoot, 'bench', 'k6', 'place-orders.js'),
    args: ['--quiet', '-o', 'experimental-prometheus-rw', '--tag', 'testid=grafana-live'],
    env: {
      BASE_URL: lab.url('api'),
      RATE: '15',
      DURATION: '120s',
      RUN_ID: `grafana-${Date.now()}`,
      SUMMARY: path.join(scratch, 'summary.json'),
      K6_PROMETHEUS_RW_SERVER_URL: `${lab.url('prometheus')}/api/v1/write`,
      K6_PROMETHEUS_RW_TREND_STATS: 'p(50),p(95),p(99),avg',
      // Prometheus takes basic auth ("user:password" in the lab's state dir).
      ...promCredentialsEnv(),
    },
    stdio: 'ignore',
  });
  background = trafficLoop();
}, 180_000);

afterAll(async () => {
  loading = false;
  await background;
  await k6?.stop(10_000); // k6 stops its scenarios and flushes, or is killed after 10 s
  await lab?.chaos('POST', '/api/halt');
  await lab?.down();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('dashboards on a live lab', () => {
  it('when the shop is under load with faults active, then every panel and annotation query returns data from Prometheus', async () => {
    const queries = dashboardQueries().map((q) => ({ ...q, resolved: resolveGrafanaVariables(q.expr) }));
    expect(queries.length).toBeGreaterThan(100);

    // Prometheus itself must accept every query (a 400 is a parse or type error).
    for (const q of queries) {
      const answer = await instantQuery(q.resolved);
      expect(answer.ok, `${q.where}: ${answer.error}`).toBe(true);
    }

    // Rates need two scrapes in their window and k6 flushes every 5 s: wait until all have data.
    let empty: string[] = [];
    await waitFor(
      'every dashboard query to return data',
      async () => {
        empty = [];
        for (const q of queries) if (!(q.where in mayBeEmpty) && (await instantQuery(q.resolved)).results === 0) empty.push(`${q.where}: ${q.resolved}`);
        return empty.length === 0;
      },
      { timeoutMs: 90_000, intervalMs: 3_000 },
    ).catch(() => undefined);
    expect(empty).toEqual([]);
  }, 150_000);

  it("when nothing is down, then the up/down panels read UP: every lab process, Postgres and Redis from their exporters, and the api's dependencies", async () => {
    // Faults active here touch api routes and the card gateway only, never a store or a scrape.
    for (const expr of ['min(up)', 'min(pg_up)', 'min(redis_up)', 'min(shop_dependency_up)']) {
      const answer = await instantQuery(expr);
      expect(answer.values, `${expr} (a status panel reading DOWN on a healthy lab)`).toEqual([1]);
    }
  });
});

/** k6's remote-write credentials from the lab's Authorization header. */
function promCredentialsEnv(): Record<string, string> {
  const [username, password] = Buffer.from(lab.prometheusAuthorization.replace(/^Basic /, ''), 'base64')
    .toString()
    .split(/:(.*)/s) as [string, string];
  return { K6_PROMETHEUS_RW_USERNAME: username, K6_PROMETHEUS_RW_PASSWORD: password };
}

/**
 * The shop journey against a real native lab: k6 remote-writes its series into the lab's
 * Prometheus under the run's testid (what the k6 dashboard selects by), every step shows up as
 * its own series, shoppers really check out, and stopping the load leaves no k6 behind.
 */
import { prometheusClient, readBasicCredentials } from '@firedrill/kit';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { startLoad, type LoadRun } from '../src/load/k6-load.ts';
import { isRunning, processesWith } from './helpers/processes.ts';

let lab: NativeLab;
let scratch: string;
let load: LoadRun | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-load-'));
  lab = await startNativeLab();
}, 150_000);

afterAll(async () => {
  await load?.stop(1_000);
  await lab?.down();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

/** One number from an instant query: the sum of what matched, or undefined when nothing did. */
async function promValue(expr: string): Promise<number | undefined> {
  const res = await lab.prometheus(`/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { data?: { result: Array<{ value: [number, string] }> } };
  const result = body.data?.result ?? [];
  return result.length === 0 ? undefined : result.reduce((sum, r) => sum + Number(r.value[1]), 0);
}

describe('the shop journey on a live lab', () => {
  it('when the smoke profile runs under a fresh testid and is stopped, then Prometheus holds its k6 series per step, orders were placed, and no k6 remains', async () => {
    const testId = `journey-${randomUUID().slice(0, 8)}`;
    const paidBefore = (await promValue('sum(shop_orders_total{status="paid"})')) ?? 0;
    const logFile = path.join(scratch, 'k6.log');

    load = startLoad({
      script: 'shop-journey',
      profile: 'smoke',
      rate: 3,
      duration: '2m', // the bound; the test stops it as soon as it has what it checks
      baseUrl: lab.url('api'),
      prometheus: prometheusClient({
        url: lab.url('prometheus'),
        credentials: readBasicCredentials(path.join(lab.stateDir, 'secrets', 'prometheus-credentials')),
      }),
      testId,
      logFile,
      // Short pauses and more buyers so that ~10 s hold every step several times over.
      scriptEnv: { THINK_SCALE: '0.1', CHECKOUT_SHARE: '0.6' },
    });

    const steps = ['browse', 'product', 'checkout'];
    const byStep = (step: string) => promValue(`sum(k6_http_reqs_total{testid="${testId}", step="${step}"})`);
    // k6 pushes every 5 s: wait for a push that holds all three steps.
    await waitFor('k6 series for every step of this run', async () => (await Promise.all(steps.map(byStep))).every((n) => n !== undefined && n > 0), {
      timeoutMs: 30_000,
      intervalMs: 1_000,
    });
    // What the k6 dashboard plots: VUs (its testid picker), the trend stats sent, failures.
    for (const series of ['k6_vus', 'k6_http_req_duration_p95', 'k6_http_req_duration_p99', 'k6_http_req_failed_rate', 'k6_iterations_total']) {
      expect(await promValue(`count(${series}{testid="${testId}"})`), series).toBeGreaterThan(0);
    }
    // Accepted checkouts are the shop's orders, seen by its own counter.
    await waitFor('shop_orders_total{status="paid"} to grow', async () => ((await promValue('sum(shop_orders_total{status="paid"})')) ?? 0) > paidBefore, {
      timeoutMs: 20_000,
      intervalMs: 1_000,
    });

    const exit = await load.stop();
    expect(exit.signal, 'k6 ended by its own graceful stop, not killed').toBeNull();
    expect(isRunning(load.pid)).toBe(false);
    expect(processesWith(testId)).toEqual([]);

    const summary = await load.summary();
    expect(summary?.requests).toBeGreaterThan(0);
    expect(summary?.checks.passed).toBeGreaterThan(0);
    expect(Object.keys(summary?.p95ByStep ?? {}).sort()).toEqual(['browse', 'checkout', 'product']);
    expect(existsSync(logFile) && readFileSync(logFile, 'utf8')).toContain('http_reqs'); // k6's end-of-test summary
  }, 60_000);
});

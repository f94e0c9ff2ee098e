import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from '@firedrill/lab-infra';
import type { NativeLab } from '@firedrill/lab-infra';
import { runK6 } from './k6.ts';
import { percentile } from './stats.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');

/** A second api process beside the lab's, on the same dependencies, with its own extra env. */
export async function startExtraApi(lab: NativeLab, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@firedrill/kit/telemetry', path.join(repo, 'services/api/src/main.ts')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: lab.postgresUrl('shop', 'proxied'),
      REDIS_URL: lab.redisUrl('proxied'),
      PAYMENTS_URL: lab.url('payments'),
      OTEL_SDK_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    },
    cwd: repo,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the extra api', async () => (await fetch(`${url}/api/health/live`)).ok, { timeoutMs: 20_000 });
  return { url, child };
}

/** k6, 20 virtual users for 10 s on GET /api/products/:id: requests per second and p50. */
export async function k6Throughput(baseUrl: string, summaryFile: string): Promise<{ rps: number; p50: number }> {
  const m = await runK6('get-product.js', summaryFile, { BASE_URL: baseUrl, VUS: '20', DURATION: '10s' });
  return { rps: m.http_reqs.values.rate, p50: m.http_req_duration.values.med };
}

/**
 * Two api processes that differ only in `a` vs `b` env, measured alternately (5 runs each after a
 * warm-up): single 10 s runs on a shared 2-core machine vary by several per cent, so medians.
 */
export async function compareApis(lab: NativeLab, scratch: string, a: Record<string, string>, b: Record<string, string>) {
  const first = await startExtraApi(lab, a);
  const second = await startExtraApi(lab, b);
  const runs: { a: { rps: number; p50: number }[]; b: { rps: number; p50: number }[] } = { a: [], b: [] };
  try {
    const file = (label: string) => path.join(scratch, `${label}-${Date.now()}.json`);
    await k6Throughput(first.url, file('warm-a'));
    await k6Throughput(second.url, file('warm-b'));
    for (let round = 0; round < 5; round++) {
      runs.a.push(await k6Throughput(first.url, file('a')));
      runs.b.push(await k6Throughput(second.url, file('b')));
    }
  } finally {
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
  }
  const median = (xs: { rps: number; p50: number }[]) => ({
    rps: percentile(
      xs.map((x) => x.rps),
      50,
    ),
    p50: percentile(
      xs.map((x) => x.p50),
      50,
    ),
  });
  return { a: median(runs.a), b: median(runs.b), runs };
}

/** CPU seconds the whole machine has spent busy so far (all cores; /proc/stat, in USER_HZ ticks). */
export function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq!) / 100;
}

/**
 * k6, `vus` customers placing orders back to back for 10 s (closed model): orders/s the shop
 * takes, p50, and the machine's CPU per order (everything on the box: k6, services, Postgres…).
 */
export async function k6Checkout(baseUrl: string, vus: number, summaryFile: string): Promise<{ rps: number; p50: number; cpuMsPerOrder: number }> {
  const busyBefore = machineBusySeconds();
  const m = await runK6('place-orders.js', summaryFile, { BASE_URL: baseUrl, VUS: String(vus), DURATION: '10s', RUN_ID: `checkout-${Date.now()}` });
  const orders = m.http_reqs.values.count as number;
  return { rps: m.http_reqs.values.rate, p50: m.http_req_duration.values.med, cpuMsPerOrder: ((machineBusySeconds() - busyBefore) * 1000) / orders };
}

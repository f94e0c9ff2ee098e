/**
 * npm run bench:detect — on a loaded native lab of its own:
 * 1. detection: for each fault family's lab default, the time from injection to the alert that
 *    should catch it firing in Prometheus (target ≤ 60 s), and from clearing the fault to that
 *    alert resolving (target ≤ 120 s);
 * 2. tracing cost (target: ≤ 15 %), with OpenTelemetry exporting to a local OTLP sink:
 *    a. checkout: orders/s a whole lab takes with tracing on in every service vs a lab with it off;
 *    b. the cheapest read: GET /api/products/:id on a second api process, tracing on vs off.
 * Figures only: nothing here passes or fails.
 * Env: BENCH_PARTS (default "detection,tracing") runs a subset.
 */
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';
import { compareApis, k6Checkout } from './lib/api-throughput.ts';
import { startK6 } from './lib/k6.ts';
import { fmt, percentile } from './lib/stats.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-detect-bench-'));

/** Each family's lab default and the alert a trainee should be paged by. */
const cases: { label: string; fault: Record<string, unknown>; alert: string; restartWorker?: boolean }[] = [
  { label: 'latency api 500 ms', fault: { family: 'latency', target: 'api', ms: 500 }, alert: 'ApiHighLatencyP95' },
  { label: 'errors api 50 %', fault: { family: 'errors', target: 'api', rate: 0.5 }, alert: 'ApiErrorRateHigh' },
  { label: 'payments gateway-error 50 %', fault: { family: 'payment-failures', mode: 'gateway-error', rate: 0.5 }, alert: 'PaymentSuccessRateLow' },
  { label: 'payments declined 50 %', fault: { family: 'payment-failures', mode: 'declined', rate: 0.5 }, alert: 'PaymentDeclineRateHigh' },
  { label: 'database-loss refused', fault: { family: 'database-loss', mode: 'refused' }, alert: 'DatabaseDown' },
  { label: 'redis-loss refused', fault: { family: 'redis-loss', mode: 'refused' }, alert: 'RedisDown' },
  { label: 'worker-death exit', fault: { family: 'worker-death', mode: 'exit' }, alert: 'WorkerHeartbeatAbsent', restartWorker: true },
  { label: 'worker-death hang', fault: { family: 'worker-death', mode: 'hang' }, alert: 'WorkerNotProcessing' },
];

async function firingAlerts(lab: NativeLab): Promise<Set<string>> {
  const res = await lab.prometheus('/api/v1/alerts');
  const body = (await res.json()) as { data: { alerts: { labels: { alertname: string }; state: string }[] } };
  return new Set(body.data.alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname));
}

/** Seconds until `predicate` holds (polled every 250 ms), or undefined after `limitS`. */
async function secondsUntil(predicate: () => Promise<boolean>, limitS: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < limitS * 1000) {
    if (await predicate()) return (performance.now() - started) / 1000;
    await sleep(250);
  }
  return undefined;
}

/** Background load for the whole run: k6 at 20 orders/s (open model). */
function startLoad(lab: NativeLab) {
  return startK6('place-orders.js', {
    BASE_URL: lab.url('api'),
    RATE: '20',
    DURATION: '60m',
    RUN_ID: `detect-${Date.now()}`,
    SUMMARY: path.join(scratch, 'load.json'),
  });
}

async function detection(lab: NativeLab): Promise<void> {
  console.log('\n1. Detection (k6 at 20 orders/s throughout; Prometheus scrapes and evaluates every 5 s; targets: fire ≤ 60 s, resolve ≤ 120 s)');
  console.log('   fault                          alert                      fired after s   resolved after s');
  for (const c of cases) {
    // Start from quiet: the alert of the previous case must be gone.
    await secondsUntil(async () => !(await firingAlerts(lab)).has(c.alert), 180);
    const injected = await lab.chaos('POST', '/api/faults', { for: '10m', ...c.fault });
    if (injected.status !== 201) throw new Error(`inject ${c.label}: ${injected.status} ${await injected.text()}`);
    const { id } = (await injected.json()) as { id: string };
    const fired = await secondsUntil(async () => (await firingAlerts(lab)).has(c.alert), 180);
    await lab.chaos('DELETE', `/api/faults/${id}`);
    if (c.restartWorker) await lab.lab('restart', 'worker'); // an exited worker stays down until restarted
    const resolved = await secondsUntil(async () => !(await firingAlerts(lab)).has(c.alert), 300);
    const show = (s: number | undefined, limit: number) => (s === undefined ? `  > ${limit} (never)` : fmt(s, 1, 10));
    console.log(`   ${c.label.padEnd(30)} ${c.alert.padEnd(26)} ${show(fired, 180).padStart(13)}   ${show(resolved, 300).padStart(16)}`);
  }
}

/** An OTLP/HTTP sink that accepts and counts trace exports, so tracing pays its real export cost. */
async function startOtlpSink() {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports, close: () => server.close() };
}

/**
 * The checkout with tracing on everywhere (api → payments → worker, every span exported) against
 * the same lab with it off: two fresh labs side by side (not the detection part's, whose database
 * has grown), loaded alternately (5 runs each after a warm-up), so both see the same machine.
 * Medians, since single runs vary by several per cent.
 */
async function checkoutTracingCost(sinkUrl: string): Promise<void> {
  const labOff = await startNativeLab();
  let labOn: NativeLab | undefined;
  try {
    labOn = await startNativeLab({ OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
    const file = (label: string) => path.join(scratch, `checkout-${label}-${Date.now()}.json`);
    const vus = 20;
    await k6Checkout(labOn.url('api'), vus, file('warm-on'));
    await k6Checkout(labOff.url('api'), vus, file('warm-off'));
    const on: Awaited<ReturnType<typeof k6Checkout>>[] = [];
    const off: typeof on = [];
    for (let round = 0; round < 5; round++) {
      on.push(await k6Checkout(labOn.url('api'), vus, file('on')));
      off.push(await k6Checkout(labOff.url('api'), vus, file('off')));
    }
    const median = (runs: typeof on, key: 'rps' | 'p50' | 'cpuMsPerOrder') =>
      percentile(
        runs.map((r) => r[key]),
        50,
      );
    console.log(
      `   a. checkout, POST /api/orders, k6 ${vus} VUs × 10 s, 5 runs each, alternated (each run ${on.map((r, i) => `${r.rps.toFixed(0)}/${off[i]!.rps.toFixed(0)}`).join(', ')} on/off)`,
    );
    console.log(
      `     tracing on   ${fmt(median(on, 'rps'), 1)} orders/s ${fmt(median(on, 'p50'), 1)} ms p50 ${fmt(median(on, 'cpuMsPerOrder'), 2)} ms CPU per order (whole machine)`,
    );
    console.log(
      `     tracing off  ${fmt(median(off, 'rps'), 1)} orders/s ${fmt(median(off, 'p50'), 1)} ms p50 ${fmt(median(off, 'cpuMsPerOrder'), 2)} ms CPU per order (whole machine)`,
    );
    console.log(`     cost         ${fmt((100 * (median(off, 'rps') - median(on, 'rps'))) / median(off, 'rps'), 1)} % throughput`);
  } finally {
    await labOn?.down();
    await labOff.down();
  }
}

async function tracingCost(lab: NativeLab): Promise<void> {
  console.log('\n2. Tracing cost (target ≤ 15 %)');
  const sink = await startOtlpSink();
  try {
    await checkoutTracingCost(sink.url);
    console.log('   b. cheapest read, GET /api/products/:id on a second api process, k6 20 VUs × 10 s, 5 runs each, alternated');
    // Every trace (the lab's default, so trainees find any request) and 10 % head sampling.
    for (const ratio of ['1.0', '0.1']) {
      const before = sink.exports();
      const { a, b, runs } = await compareApis(
        lab,
        scratch,
        {
          OTEL_SDK_DISABLED: 'false',
          OTEL_SERVICE_NAME: 'api',
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: ratio,
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
        },
        {},
      );
      console.log(
        `     sampling ${ratio === '1.0' ? '100 %' : '10 %'}: req/s and p50 (median of 5; each run ${runs.a.map((r, i) => `${r.rps.toFixed(0)}/${runs.b[i]!.rps.toFixed(0)}`).join(', ')} on/off; ${sink.exports() - before} OTLP exports)`,
      );
      console.log(`       tracing on   ${fmt(a.rps, 0)} req/s ${fmt(a.p50, 3)} ms`);
      console.log(`       tracing off  ${fmt(b.rps, 0)} req/s ${fmt(b.p50, 3)} ms`);
      console.log(`       cost         ${fmt((100 * (b.rps - a.rps)) / b.rps, 1)} % throughput, ${(a.p50 - b.p50).toFixed(3)} ms p50`);
    }
  } finally {
    sink.close();
  }
}

const parts = new Set((process.env.BENCH_PARTS ?? 'detection,tracing').split(','));
const lab = await startNativeLab();
console.log(`Firedrill detection benchmark — ${os.cpus().length} cores, Node ${process.versions.node}, native lab at ${lab.url('api')}`);
try {
  if (parts.has('detection')) {
    const load = startLoad(lab);
    try {
      await sleep(20_000); // let rates and histograms fill before the first fault
      await detection(lab);
    } finally {
      await load.stop();
    }
  }
  if (parts.has('tracing')) await tracingCost(lab);
} finally {
  await lab.down();
}

/**
 * npm run bench:chaos — how precisely and how fast faults act, on a native lab of its own:
 * 1. latency precision: injected latency against the observed added latency at p50 and p99;
 * 2. rate precision: requested against observed error and decline rates over 5,000 requests,
 *    with the 99 % binomial interval;
 * 3. speed: inject → first affected request and clear → first healthy request, 20 times;
 * 4. agent overhead: api throughput and p50 with the agent present (no fault) and disabled.
 * Figures only: nothing here passes or fails.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@firedrill/lab-infra';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';
import { binomialInterval99, fmt, percentile, runConcurrently } from './lib/stats.ts';
import { compareApis } from './lib/api-throughput.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-chaos-bench-'));
const productUrl = (lab: NativeLab) => `${lab.url('api')}/api/products/mug-stoneware`;

async function inject(lab: NativeLab, body: Record<string, unknown>): Promise<string> {
  const res = await lab.chaos('POST', '/api/faults', { for: '10m', ...body });
  if (res.status !== 201) throw new Error(`inject failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function clear(lab: NativeLab, id: string): Promise<void> {
  await lab.chaos('DELETE', `/api/faults/${id}`);
}

/** Latencies (ms) of n GETs of one product, `concurrency` at a time. */
async function sampleLatency(url: string, n: number, concurrency: number): Promise<number[]> {
  return runConcurrently(n, concurrency, async () => {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    return performance.now() - started;
  });
}

async function latencyPrecision(lab: NativeLab): Promise<void> {
  // One request at a time: with several in flight, delayed requests meet a quieter database
  // than the baseline did, and the subtraction would understate the added latency.
  const n = 100;
  const concurrency = 1;
  console.log(`\n1. Latency precision (api, GET /api/products/:id, ${n} requests one at a time per setting; target ±10 ms)`);
  await sampleLatency(productUrl(lab), 200, concurrency); // warm-up
  const base = await sampleLatency(productUrl(lab), n * 3, concurrency);
  const [b50, b99] = [percentile(base, 50), percentile(base, 99)];
  console.log(`   baseline p50 ${b50.toFixed(1)} ms, p99 ${b99.toFixed(1)} ms`);
  console.log('   injected ms   added p50   error    added p99   error');
  for (const ms of [50, 100, 250, 500]) {
    const id = await inject(lab, { family: 'latency', target: 'api', route: 'GET /api/products/:id', ms });
    await sleep(600);
    const samples = await sampleLatency(productUrl(lab), n, concurrency);
    await clear(lab, id);
    const a50 = percentile(samples, 50) - b50;
    const a99 = percentile(samples, 99) - b99;
    console.log(`   ${fmt(ms, 0, 11)}  ${fmt(a50, 1, 10)} ${fmt(a50 - ms, 1, 7)}  ${fmt(a99, 1, 10)} ${fmt(a99 - ms, 1, 7)}`);
  }
}

async function ratePrecision(lab: NativeLab): Promise<void> {
  const n = 5_000;
  console.log(`\n2. Rate precision (${n} requests each; target: observed inside the 99 % binomial interval of the request)`);
  console.log('   fault                         requested  observed   99 % interval        inside');
  const report = (label: string, requested: number, hits: number) => {
    const observed = hits / n;
    const [low, high] = binomialInterval99(requested, n);
    const inside = observed >= low && observed <= high;
    console.log(`   ${label.padEnd(30)} ${fmt(requested, 3, 8)} ${fmt(observed, 4, 9)}   [${low.toFixed(4)}, ${high.toFixed(4)}]   ${inside ? 'yes' : 'NO'}`);
  };
  for (const rate of [0.1, 0.5]) {
    const id = await inject(lab, { family: 'errors', target: 'api', route: 'GET /api/products/:id', rate, status: 500 });
    await sleep(600);
    const statuses = await runConcurrently(n, 20, async () => {
      const res = await fetch(productUrl(lab));
      await res.arrayBuffer();
      return res.status;
    });
    await clear(lab, id);
    report(`errors api rate ${rate}`, rate, statuses.filter((s) => s === 500).length);
  }
  const rate = 0.3;
  const id = await inject(lab, { family: 'payment-failures', mode: 'declined', rate });
  await sleep(600);
  const outcomes = await runConcurrently(n, 20, async (i) => {
    // approve.test customers are never declined naturally, so every decline is the fault's.
    const res = await fetch(`${lab.url('payments')}/payments/charges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` },
      body: JSON.stringify({ orderId: `bench-${i}`, amountCents: 1800, currency: 'EUR', customer: { email: 'bench@approve.test' } }),
    });
    await res.arrayBuffer();
    return res.status;
  });
  await clear(lab, id);
  report(`payment-failures declined ${rate}`, rate, outcomes.filter((s) => s === 402).length);
}

/** A prober that asks one endpoint back to back and remembers when each request started and what it got. */
function startProber(url: string) {
  const seen: { at: number; status: number }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const at = performance.now();
      const res = await fetch(url).catch(() => undefined);
      await res?.arrayBuffer();
      seen.push({ at, status: res?.status ?? 0 });
    }
  })();
  return {
    firstAfter: (t: number, predicate: (status: number) => boolean) => seen.find((s) => s.at >= t && predicate(s.status)),
    async stop() {
      running = false;
      await done;
    },
  };
}

async function toggleSpeed(lab: NativeLab): Promise<void> {
  const rounds = 20;
  console.log(`\n3. Speed (errors on the api at rate 1, ${rounds} injections; agents poll every 250 ms; target p99 < 1 s)`);
  const prober = startProber(productUrl(lab));
  const toEffect: number[] = [];
  const toHealthy: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const injectedAt = performance.now();
      const id = await inject(lab, { family: 'errors', target: 'api', rate: 1 });
      const hit = await waitFor('the first failing request', async () => prober.firstAfter(injectedAt, (s) => s === 500), { timeoutMs: 10_000, intervalMs: 5 });
      toEffect.push(hit.at - injectedAt);
      const clearedAt = performance.now();
      await clear(lab, id);
      const healthy = await waitFor('the first healthy request', async () => prober.firstAfter(clearedAt, (s) => s === 200), {
        timeoutMs: 10_000,
        intervalMs: 5,
      });
      toHealthy.push(healthy.at - clearedAt);
      await sleep(100 + Math.random() * 250); // spread the toggles over the agents' poll phase
    }
  } finally {
    await prober.stop();
  }
  console.log('                          p50 ms   p99 ms   max ms');
  for (const [label, samples] of [
    ['inject → first affected', toEffect],
    ['clear → first healthy', toHealthy],
  ] as const) {
    console.log(`   ${label.padEnd(23)} ${fmt(percentile(samples, 50))} ${fmt(percentile(samples, 99))} ${fmt(Math.max(...samples))}`);
  }
}

async function agentOverhead(lab: NativeLab): Promise<void> {
  console.log(
    '\n4. Agent overhead (a second api process, GET /api/products/:id, k6 20 VUs × 10 s, 5 runs each, alternated; target ≤ 3 % throughput, ≤ 0.2 ms p50)',
  );
  const { a, b, runs } = await compareApis(
    lab,
    scratch,
    { CHAOS_URL: lab.url('chaos'), CHAOS_AGENT_TOKEN_FILE: path.join(lab.stateDir, 'secrets', 'agent-token') },
    {},
  );
  console.log(
    `                      req/s   p50 ms   (median of 5 alternated runs; each run: ${runs.a.map((r, i) => `${r.rps.toFixed(0)}/${runs.b[i]!.rps.toFixed(0)}`).join(', ')} req/s on/off)`,
  );
  console.log(`   agent present   ${fmt(a.rps, 0)} ${fmt(a.p50, 3)}`);
  console.log(`   agent disabled  ${fmt(b.rps, 0)} ${fmt(b.p50, 3)}`);
  console.log(`   difference      ${fmt((100 * (b.rps - a.rps)) / b.rps, 1)} % throughput, ${(a.p50 - b.p50).toFixed(3)} ms p50`);
}

const lab = await startNativeLab();
console.log(`Firedrill chaos benchmark — ${os.cpus().length} cores, Node ${process.versions.node}, native lab at ${lab.url('api')}`);
try {
  await latencyPrecision(lab);
  await ratePrecision(lab);
  await toggleSpeed(lab);
  await agentOverhead(lab);
} finally {
  await lab.down();
}

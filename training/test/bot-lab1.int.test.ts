/**
 * The bot trainee against Lab 1's situation on a real native lab (real k6 traffic, Prometheus,
 * Alertmanager, the chaos controller, the training process). The test plays the instructor and
 * the run engine (built separately against the runs API): it deploys payments 2.4.0, binds a
 * 500 ms latency fault to that release, clears the release's faults when a rollback is applied
 * (what the run does when a cause's `endsWith` lever lands), and reports the run as holding while
 * Lab 1's p95 probe passes. The bot sees only alerts, metrics, releases, flags and its levers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, waitFor, type NativeLab } from '@firedrill/lab-infra';
import { metricsObserver } from '../src/bot/metrics-observer.ts';
import type { RunView } from '../src/bot/observations.ts';
import { respond } from '../src/bot/respond.ts';
import { traineeClients } from '../src/bot/trainee-clients.ts';
import { startLoad, type LoadRun } from '../src/load/k6-load.ts';

let lab: NativeLab;
let scratch: string;
let load: LoadRun | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-bot-'));
  lab = await startNativeLab();
}, 150_000);

afterAll(async () => {
  await load?.stop(1_000);
  await lab?.down();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

/** Lab 1's steady-state probe, as its scenario file writes it. */
const p95Probe = 'service_route:http_request_duration_seconds:p95_1m{service="api",method="POST",route="/api/orders"} < 0.3';
/** How long the probe must pass before the stand-in run calls the incident mitigated (Lab 1 says 1m; shorter keeps CI inside budget). */
const stabilityMs = 15_000;

async function promHas(expr: string): Promise<boolean> {
  const res = await fetch(`${lab.url('prometheus')}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { data?: { result: unknown[] } };
  return (body.data?.result.length ?? 0) > 0;
}

async function asInstructor(base: 'training' | 'chaos', method: string, route: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${lab.url(base)}${route}`, {
    method,
    headers: { authorization: `Bearer ${lab.instructorToken}`, 'x-firedrill-actor': 'instructor-test', 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response;
}

async function leversApplied(): Promise<Array<{ actor: string; lever: string }>> {
  const { events } = (await (await asInstructor('training', 'GET', '/api/events?kind=lever.applied&limit=100')).json()) as {
    events: Array<{ actor: string; data: { lever: string } }>;
  };
  return events.map((e) => ({ actor: e.actor, lever: e.data.lever }));
}

/**
 * The run as an operator would see it, computed the way the run engine does for Lab 1: the
 * rollback of payments ends the cause (its release-bound fault is cleared), and the run resolves
 * once the cause has ended and the probe has held for `stabilityMs`.
 */
function standInRun() {
  let causeEnded = false;
  let holdingSince: number | undefined;
  return async (): Promise<RunView> => {
    if (!causeEnded && (await leversApplied()).some((l) => l.lever === 'rollback payments')) {
      await asInstructor('chaos', 'POST', '/api/faults/clear-release', { service: 'payments' });
      causeEnded = true;
    }
    const passing = await promHas(p95Probe);
    holdingSince = passing ? (holdingSince ?? Date.now()) : undefined;
    const holdingForMs = holdingSince === undefined ? 0 : Date.now() - holdingSince;
    const resolved = causeEnded && holdingForMs >= stabilityMs;
    return { state: resolved ? 'resolved' : 'live', holdingForMs, probes: [{ name: 'checkout p95 below 300 ms', passing }] };
  };
}

describe('the bot trainee on Lab 1', () => {
  it('when payments 2.4.0 brings 500 ms per charge, then the bot is paged, rolls back payments and nothing else, and the probe holds', async () => {
    const since = Date.now();
    load = startLoad({
      script: 'shop-journey',
      profile: 'steady',
      rate: 8,
      duration: '5m', // the bound; stopped at the end
      baseUrl: lab.url('api'),
      prometheusUrl: lab.url('prometheus'),
      testId: `bot-${randomUUID().slice(0, 8)}`,
      logFile: path.join(scratch, 'k6.log'),
      // Short pauses and many buyers, so checkout's p95 has samples every scrape.
      scriptEnv: { THINK_SCALE: '0.1', CHECKOUT_SHARE: '0.6' },
    });
    await waitFor('a healthy checkout p95 in Prometheus', () => promHas(p95Probe), { timeoutMs: 60_000, intervalMs: 1_000 });

    // The instructor's part: the bad release, and the fault it carries.
    await asInstructor('training', 'POST', '/api/releases/payments/deploy', { version: '2.4.0' });
    await asInstructor('chaos', 'POST', '/api/faults', {
      family: 'latency',
      target: 'payments',
      route: 'POST /payments/charges',
      ms: 500,
      jitterMs: 50,
      for: '5m',
      release: { service: 'payments', version: '2.4.0' },
    });

    const lines: string[] = [];
    const operatorToken = readFileSync(path.join(lab.stateDir, 'secrets', 'operator-token'), 'utf8').trim();
    const clients = traineeClients({
      runId: 'lab1-stand-in',
      trainingUrl: lab.url('training'),
      chaosUrl: lab.url('chaos'),
      operatorToken,
      actorName: 'bot',
    });
    const outcome = await respond({
      clients,
      runStatus: standInRun(),
      metrics: metricsObserver(lab.url('prometheus')),
      since,
      signal: AbortSignal.timeout(170_000),
      log: (line) => lines.push(line),
      roundMs: 2_000,
      policy: { graceMs: 60_000 },
    });

    expect(outcome.ended, lines.join('\n')).toBe('resolved');
    expect(
      outcome.pulls.map((p) => p.lever),
      lines.join('\n'),
    ).toEqual(['rollback payments']);
    // The journal agrees: the only lever anyone but the instructor pulled is the bot's rollback.
    const applied = await leversApplied();
    expect(applied.filter((l) => !l.actor.startsWith('instructor'))).toEqual([{ actor: 'operator:bot', lever: 'rollback payments' }]);
    const releases = (await (await asInstructor('training', 'GET', '/api/releases')).json()) as { current: Record<string, string> };
    expect(releases.current).toMatchObject({ payments: '2.3.0', api: '2.3.0', worker: '2.3.0' });
    // It acted on a page (which alert pages first depends on load: the latency ones, or the
    // availability SLO when slow charges time out), with the release as its evidence.
    expect(lines.join('\n')).toMatch(/paged: /);
    expect(lines.join('\n')).toMatch(/evidence: payments 2\.4\.0 deployed at/);
  }, 240_000);
});

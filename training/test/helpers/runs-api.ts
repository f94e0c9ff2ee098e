import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor, type NativeLab } from '@firedrill/lab-infra';

/** A run and an event as the runs API answers them (the contract's Run and Event). */
export interface Run {
  id: string;
  scenario: string | null;
  state: string;
  reason: string | null;
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
}
export interface RunEvent {
  id: number;
  /** ISO time on the server's clock. */
  at: string;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  visibility: string;
}

/** The training process's API of a native lab, called as the instructor or the operator. */
export function runsApi(lab: NativeLab) {
  const operatorToken = readFileSync(path.join(lab.stateDir, 'secrets', 'operator-token'), 'utf8').trim();
  const token = { instructor: lab.instructorToken, operator: operatorToken };
  const call = async <T = Record<string, unknown>>(method: string, route: string, role: keyof typeof token = 'instructor', body?: unknown) => {
    const response = await fetch(`${lab.url('training')}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token[role]}`,
        'x-firedrill-actor': 'test',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const api = {
    call,
    start: (body: Record<string, unknown>, role: keyof typeof token = 'operator') =>
      call<Run & { code?: string; detail?: string }>('POST', '/api/runs', role, body),
    run: async (id: string) => (await call<Run>('GET', `/api/runs/${id}`)).body,
    /** Every event of the run so far (the instructor sees them all). */
    async events(id: string, role: keyof typeof token = 'instructor'): Promise<RunEvent[]> {
      const all: RunEvent[] = [];
      for (;;) {
        const page = (await call<{ events: RunEvent[] }>('GET', `/api/runs/${id}/events?after=${all.at(-1)?.id ?? 0}`, role)).body.events;
        if (page.length === 0) return all;
        all.push(...page);
      }
    },
    /** Follows the run's events with the long poll until one satisfies `match`. */
    async waitForEvent(id: string, match: (event: RunEvent) => boolean, timeoutMs: number): Promise<RunEvent> {
      const deadline = Date.now() + timeoutMs;
      let after = 0;
      while (Date.now() < deadline) {
        const { body } = await call<{ events: RunEvent[] }>('GET', `/api/runs/${id}/events?after=${after}&waitMs=5000`);
        for (const event of body.events) {
          if (match(event)) return event;
          after = event.id;
        }
      }
      throw new Error(`no matching event of run ${id} within ${timeoutMs} ms; it is ${(await api.run(id)).state}`);
    },
    /** Waits for the run to end, following its run.state events. */
    async waitForEnd(id: string, timeoutMs: number): Promise<Run> {
      await api.waitForEvent(id, (e) => e.kind === 'run.state' && !['warming', 'live'].includes(String(e.data.state)), timeoutMs);
      return api.run(id);
    },
    activeFaults: async () => ((await (await lab.chaos('GET', '/api/faults')).json()) as { faults: Array<{ id: string; family: string }> }).faults,
    currentVersions: async () => (await call<{ current: Record<string, string> }>('GET', '/api/releases')).body.current,
    flags: async () => (await call<{ flags: Record<string, unknown> }>('GET', '/api/flags')).body.flags,
  };
  return api;
}

/**
 * A short scenario of the tests' own, in a folder of its own (LAB_SCENARIOS_DIR): a payments
 * release with a latency fault bound to it, early in the live phase, and a steady state the shop
 * passes at once (its readiness), so the gate opens in three rounds. `timing` shortens it further
 * (a class's test plays two at once).
 */
export function writeShortScenario(
  scenariosDir: string,
  id = 'test-short-release',
  timing: { rate?: number; faultAt?: string; stability?: string } = {},
): string {
  const { rate = 3, faultAt = '3s', stability = '10s' } = timing;
  const dir = path.join(scenariosDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'scenario.yaml'),
    `id: ${id}
title: A short release for the runner's tests
curriculum: tests
difficulty: 1
timebox: 5m
load: { script: shop-journey, profile: steady, rate: ${rate} }
steadyState:
  - name: the api is ready
    http: { service: api, path: /api/health/ready, status: 200 }
timeline:
  - at: ${faultAt}
    deploy: { service: payments, version: 2.4.0, notes: "a test release" }
    flags: { payments.fraud-check: true }
    fault: { family: latency, target: payments, route: "POST /payments/charges", ms: 200 }
    endsWith: [rollback payments]
expectedAlerts: [ApiHighLatencyP95]
stability: ${stability}
answer: { severity: P3, category: bad-release, rootCause: a test release adds latency }
hints: [{ cost: 0, text: "roll back payments" }]
par: { detect: 1m, acknowledge: 2m, mitigate: 3m, resolve: 4m }
`,
  );
  writeFileSync(path.join(dir, 'briefing.md'), '# A test\n\nThe runner is under test.\n');
  return id;
}

/** The training process's pid as `lab status --json` reports it, once it is healthy. */
export async function trainingPid(lab: NativeLab, other?: number): Promise<number> {
  return waitFor(
    other === undefined ? 'training healthy' : `training restarted (not pid ${other})`,
    async () => {
      const entry = (await lab.status()).find((s) => s.name === 'training');
      return entry?.healthy && entry.pid && entry.pid !== other ? entry.pid : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

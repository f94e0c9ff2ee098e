/**
 * Every fault family and mode, injected into a real native lab (real Postgres, Redis, Toxiproxy,
 * services with their agents), produces the symptom a trainee is meant to find, and reverts
 * cleanly. Latency checks only assert lower bounds (an injected delay is at least its setting),
 * so a slow machine cannot make them fail.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { startNativeLab, type NativeLab } from '@firedrill/lab-infra';

let lab: NativeLab;

interface OrderAnswer {
  status: number;
  body: { id?: string; status?: string; code?: string; reason?: string; orderId?: string };
}

async function placeOrder(email = `buyer-${randomUUID().slice(0, 8)}@approve.test`, key: string = randomUUID()): Promise<OrderAnswer> {
  const res = await fetch(`${lab.url('api')}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ items: [{ productId: 'mug-stoneware', quantity: 1 }], customer: { email } }),
  });
  return { status: res.status, body: (await res.json()) as OrderAnswer['body'] };
}

async function orderStatus(id: string): Promise<string> {
  return ((await (await fetch(`${lab.url('api')}/api/orders/${id}`)).json()) as { status: string }).status;
}

interface AgentStatus {
  agent: string;
  service: string;
  applied: boolean;
}

/** The controller answers once the agents carrying the change have applied it: nothing to wait for after. */
function expectAppliedByAll(agents: AgentStatus[]): void {
  expect(agents.filter((a) => !a.applied)).toEqual([]);
}

async function inject(body: Record<string, unknown>): Promise<string> {
  const res = await lab.chaos('POST', '/api/faults', { for: '5m', ...body });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
  const { id, agents } = (await res.json()) as { id: string; agents: AgentStatus[] };
  expectAppliedByAll(agents);
  return id;
}

async function clear(id: string): Promise<void> {
  const res = await lab.chaos('DELETE', `/api/faults/${id}`);
  expect(res.status).toBe(200);
  expectAppliedByAll(((await res.json()) as { agents: AgentStatus[] }).agents);
}

/** The state of an order's fulfilment job in the lab's queue (the job id is the order id). */
async function jobState(orderId: string): Promise<string | undefined> {
  const connection = new Redis(lab.redisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue('fulfilment', { connection, prefix: 'firedrill' });
  try {
    return await (await queue.getJob(orderId))?.getState();
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** The worker agents the controller knows of, and whether each carries out the current fault set. */
async function workerAgents(): Promise<(AgentStatus & { live: boolean })[]> {
  const { agents } = (await (await lab.chaos('GET', '/api/agents')).json()) as { agents: (AgentStatus & { live: boolean })[] };
  return agents.filter((a) => a.service === 'worker');
}

async function timed(request: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await request();
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

const get = (path: string) => () => fetch(`${lab.url('api')}${path}`);
const ready = async () => {
  const res = await fetch(`${lab.url('api')}/api/health/ready`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean }> } };
};
const waitReady = () => waitFor('the api to be ready again', async () => (await ready()).status === 200, { timeoutMs: 30_000, intervalMs: 250 });
const metric = async (service: 'api' | 'payments' | 'worker', pattern: RegExp) => {
  const text = await (await fetch(`${lab.url(service)}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
};
const waitFulfilled = (ids: string[], timeoutMs = 60_000) =>
  waitFor(`${ids.length} orders to be fulfilled`, async () => (await Promise.all(ids.map(orderStatus))).every((s) => s === 'fulfilled'), {
    timeoutMs,
    intervalMs: 500,
  });

beforeAll(async () => {
  lab = await startNativeLab();
}, 180_000);

// A test that fails half-way must not leave its fault behind for the next one. The halt answers
// once the agents have reverted.
afterEach(async () => {
  await lab.chaos('POST', '/api/halt');
});

afterAll(async () => {
  await lab?.down();
}, 120_000);

describe('latency', () => {
  it('when the api is slowed by 700 ms, then its requests take at least that long; when cleared, they do not', async () => {
    const id = await inject({ family: 'latency', target: 'api', ms: 700 });
    expect((await timed(get('/api/products'))).ms).toBeGreaterThanOrEqual(700);
    await clear(id);
    const after = await Promise.all([1, 2, 3].map(() => timed(get('/api/products'))));
    expect(Math.min(...after.map((r) => r.ms))).toBeLessThan(700);
  });

  it('when one route is slowed, then only that route is', async () => {
    const id = await inject({ family: 'latency', target: 'api', route: 'GET /api/products/:id', ms: 700 });
    expect((await timed(get('/api/products/mug-stoneware'))).ms).toBeGreaterThanOrEqual(700);
    const others = await Promise.all([1, 2, 3].map(() => timed(get('/api/products'))));
    expect(Math.min(...others.map((r) => r.ms))).toBeLessThan(700);
    await clear(id);
  });

  it('when payments is slowed, then checkout at the api is slowed by as much (the caller sees it)', async () => {
    const id = await inject({ family: 'latency', target: 'payments', ms: 700 });
    const started = performance.now();
    const order = await placeOrder();
    expect(order.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(700);
    await clear(id);
  });
});

describe('errors', () => {
  it('when the api answers 5xx, then clients get 503 problems counted under the real route; when cleared, 200', async () => {
    const before = await metric('api', /^http_requests_total\{method="GET",route="\/api\/products",status_code="503"/);
    const id = await inject({ family: 'errors', target: 'api', rate: 1, status: 503 });
    const res = await fetch(`${lab.url('api')}/api/products`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await res.json())).not.toMatch(/fault|chaos|inject/i); // a symptom, not a toggle
    expect(await metric('api', /^http_requests_total\{method="GET",route="\/api\/products",status_code="503"/)).toBe(before + 1);
    expect((await fetch(`${lab.url('api')}/api/health/ready`)).status).toBe(200); // health stays observable
    await clear(id);
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBe(200);
  });

  it('when payments answers 5xx, then checkout fails with 503 payments_unavailable and a retry succeeds once cleared', async () => {
    const id = await inject({ family: 'errors', target: 'payments', rate: 1, status: 500 });
    const key = randomUUID();
    const email = 'retry@approve.test'; // the retry must send the same body with the same key
    const failed = await placeOrder(email, key);
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('payments_unavailable');
    await clear(id);
    const retried = await placeOrder(email, key);
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(failed.body.orderId);
  });
});

describe('payment failures', () => {
  it('when cards are declined, then checkout answers 402 card_declined and the decline metric rises', async () => {
    const before = await metric('payments', /^payment_processed_total\{(?=[^}]*status="declined")(?=[^}]*reason="card_declined")/);
    const id = await inject({ family: 'payment-failures', mode: 'declined', rate: 1 });
    const order = await placeOrder(`someone-${randomUUID().slice(0, 6)}@example.com`);
    expect(order.status).toBe(402);
    expect(order.body).toMatchObject({ status: 'payment_failed', reason: 'card_declined' });
    expect(await metric('payments', /^payment_processed_total\{(?=[^}]*status="declined")(?=[^}]*reason="card_declined")/)).toBeGreaterThan(before);
    await clear(id);
  });

  it.each([
    ['gateway-error', 'gateway_error'],
    ['timeout', 'gateway_timeout'],
    ['unreachable', 'gateway_unreachable'],
  ])(
    'when the gateway fails with %s, then checkout gets 503, failures are counted as %s and the gateway status says so',
    async (mode, reason) => {
      const before = await metric('payments', new RegExp(`^payment_processed_total\\{(?=[^}]*status="failed")(?=[^}]*reason="${reason}")`));
      const id = await inject({ family: 'payment-failures', mode, rate: 1 });
      for (let i = 0; i < 2; i++) {
        const order = await placeOrder();
        expect(order.status).toBe(503);
        expect(order.body.code).toBe('payments_unavailable');
      }
      expect(await metric('payments', new RegExp(`^payment_processed_total\\{(?=[^}]*status="failed")(?=[^}]*reason="${reason}")`))).toBeGreaterThan(before);
      const gateway = (await (await fetch(`${lab.url('payments')}/payments/gateway/status`)).json()) as { status: string };
      expect(gateway.status).not.toBe('operational');
      await clear(id);
      expect((await placeOrder()).status).toBe(201);
    },
    60_000,
  );
});

describe('database loss', () => {
  it.each(['refused', 'blackhole', 'reset'])(
    'when the database path is %s, then readiness answers 503 naming postgres and requests fail with 503; when cleared, it recovers',
    async (mode) => {
      const id = await inject({ family: 'database-loss', mode });
      await waitFor(
        'readiness to report postgres',
        async () => {
          const r = await ready();
          return r.status === 503 && r.body.checks.postgres?.ok === false;
        },
        { timeoutMs: 15_000, intervalMs: 250 },
      );
      const products = await fetch(`${lab.url('api')}/api/products/mug-stoneware`, { signal: AbortSignal.timeout(15_000) });
      expect(products.status).toBe(503);
      expect(((await products.json()) as { code: string }).code).toBe('dependency_unavailable');
      await clear(id);
      await waitReady();
      expect((await fetch(`${lab.url('api')}/api/products/mug-stoneware`)).status).toBe(200);
    },
    60_000,
  );

  it('when the database path is slow, then queries take at least the added latency', async () => {
    const id = await inject({ family: 'database-loss', mode: 'slow', ms: 400 });
    expect((await timed(get('/api/products/mug-stoneware'))).ms).toBeGreaterThanOrEqual(400);
    await clear(id);
  });
});

describe('redis loss', () => {
  it.each(['refused', 'blackhole', 'reset'])(
    'when the Redis path is %s, then readiness names redis, checkout still accepts orders, and they are fulfilled once cleared',
    async (mode) => {
      const id = await inject({ family: 'redis-loss', mode });
      await waitFor(
        'readiness to report redis',
        async () => {
          const r = await ready();
          return r.status === 503 && r.body.checks.redis?.ok === false;
        },
        { timeoutMs: 15_000, intervalMs: 250 },
      );
      const failuresBefore = await metric('api', /^shop_outbox_dispatch_failures_total/);
      const orders = [await placeOrder(), await placeOrder()];
      for (const order of orders) expect(order.body.status).toBe('paid');
      await waitFor('the outbox relay to fail to reach Redis', async () => (await metric('api', /^shop_outbox_dispatch_failures_total/)) > failuresBefore, {
        timeoutMs: 15_000,
        intervalMs: 250,
      });
      expect(await orderStatus(orders[0]!.body.id!)).toBe('paid'); // the queue is stalled
      await clear(id);
      await waitReady();
      await waitFulfilled(orders.map((o) => o.body.id!));
    },
    90_000,
  );

  it('when the Redis path is slow, then readiness reports at least the added latency', async () => {
    const id = await inject({ family: 'redis-loss', mode: 'slow', ms: 300 });
    const res = await fetch(`${lab.url('api')}/api/health/ready`);
    const body = (await res.json()) as { checks: { redis: { ok: boolean; latencyMs?: number } } };
    expect(body.checks.redis.latencyMs ?? 0).toBeGreaterThanOrEqual(300);
    await clear(id);
  });
});

describe('worker death', () => {
  const worker = async () => (await lab.status()).find((s) => s.name === 'worker')!;

  it('when the worker hangs, then it still looks alive and beats, but nothing is fulfilled until cleared', async () => {
    const id = await inject({ family: 'worker-death', mode: 'hang' });
    const order = await placeOrder();
    expect(order.status).toBe(201);
    const beatBefore = await metric('worker', /^worker_heartbeat_timestamp_seconds/);
    await waitFor('the hung worker to take the job', async () => (await jobState(order.body.id!)) === 'active', { timeoutMs: 15_000, intervalMs: 100 });
    await waitFor('the worker to beat again', async () => (await metric('worker', /^worker_heartbeat_timestamp_seconds/)) > beatBefore, {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    expect(await orderStatus(order.body.id!)).toBe('paid');
    expect((await fetch(`${lab.url('worker')}/health/live`)).status).toBe(200);
    expect(await metric('worker', /^worker_heartbeat_timestamp_seconds/)).toBeGreaterThan(beatBefore);
    await clear(id);
    await waitFulfilled([order.body.id!]);
  }, 60_000);

  it('when the worker is slowed 40 times, then fulfilment takes at least that much longer', async () => {
    const id = await inject({ family: 'worker-death', mode: 'slow', factor: 40 });
    const order = await placeOrder();
    const started = performance.now();
    await waitFulfilled([order.body.id!]);
    // FULFIL_DURATION_MS is 40 ms at the median; 40x is well over half a second for most draws.
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    await clear(id);
  }, 60_000);

  it('when the worker exits, then it stays down and orders wait; after `lab restart worker` they are fulfilled and it stays up', async () => {
    const before = await worker();
    const agentsBefore = new Set((await workerAgents()).map((a) => a.agent));
    const id = await inject({ family: 'worker-death', mode: 'exit' });
    await waitFor('the worker to exit', async () => (await worker()).pid === null, { timeoutMs: 20_000, intervalMs: 250 });
    const order = await placeOrder();
    await waitFor('the order to wait in the queue', async () => (await jobState(order.body.id!)) === 'waiting', { timeoutMs: 15_000, intervalMs: 100 });
    expect(await orderStatus(order.body.id!)).toBe('paid');
    expect(await worker()).toMatchObject({ pid: null, restarts: before.restarts }); // not restarted by the supervisor
    expect((await lab.lab('restart', 'worker')).code).toBe(0);
    await waitFulfilled([order.body.id!]);
    // The new worker has been told the current fault set (the exit, already carried out, is not in it)…
    await waitFor(
      'the restarted worker to carry the current fault set',
      async () => (await workerAgents()).some((a) => !agentsBefore.has(a.agent) && a.live && a.applied),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const restarted = await worker();
    const beat = await metric('worker', /^worker_heartbeat_timestamp_seconds/);
    await waitFor('the restarted worker to beat again', async () => (await metric('worker', /^worker_heartbeat_timestamp_seconds/)) > beat, {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    // …and is still the same healthy process: the exit order is not carried out twice.
    expect(await worker()).toMatchObject({ pid: restarted.pid, healthy: true });
    await clear(id);
  }, 90_000);

  it('when the worker crash-loops on a poison job, then it restarts again and again; once cleared the job is dead-lettered and every order is fulfilled', async () => {
    const before = await worker();
    const id = await inject({ family: 'worker-death', mode: 'crash-loop' });
    await waitFor('the worker to crash twice', async () => (await worker()).restarts >= before.restarts + 2, { timeoutMs: 60_000, intervalMs: 500 });
    const order = await placeOrder();
    expect(order.status).toBe(201);
    await clear(id);
    await waitFulfilled([order.body.id!], 90_000);

    const connection = new Redis(lab.redisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue('fulfilment', { connection, prefix: 'firedrill' });
    try {
      const poison = await queue.getJob(`legacy-${id}`);
      await waitFor('the poison job to be dead-lettered', async () => (await poison?.getState()) === 'failed', { timeoutMs: 60_000, intervalMs: 500 });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 240_000);
});

describe('runbook actions', () => {
  const worker = async () => (await lab.status()).find((s) => s.name === 'worker')!;

  it('when the poison job is dead-lettered with `lab queue dead-letter`, then the crash loop ends while the fault is still active', async () => {
    const before = await worker();
    const id = await inject({ family: 'worker-death', mode: 'crash-loop' });
    await waitFor('the worker to crash twice', async () => (await worker()).restarts >= before.restarts + 2, { timeoutMs: 60_000, intervalMs: 500 });
    const listed = await lab.lab('queue', '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`legacy-${id}`);

    const moved = await lab.lab('queue', 'dead-letter', `legacy-${id}`);
    expect(moved.code, moved.stderr).toBe(0);
    const order = await placeOrder();
    await waitFulfilled([order.body.id!], 90_000);
    const settled = await worker();
    const beat = await metric('worker', /^worker_heartbeat_timestamp_seconds/);
    await waitFor('two more heartbeats of the worker', async () => (await metric('worker', /^worker_heartbeat_timestamp_seconds/)) >= beat + 2, {
      timeoutMs: 10_000,
      intervalMs: 250,
    });
    expect(await worker()).toMatchObject({ pid: settled.pid, restarts: settled.restarts }); // no more crashes
    expect(JSON.parse((await lab.lab('queue', '--json')).stdout).deadLettered).toBe(1);
    expect((await lab.chaos('GET', `/api/faults/${id}`)).status).toBe(200); // the fault itself is still on
  }, 240_000);
});

describe('no accepted order is lost', () => {
  it('when orders keep coming through database loss, Redis loss and a hung worker, then every order answered 201 ends fulfilled', async () => {
    const accepted: string[] = [];
    let refused = 0;
    const placeFor = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const order = await placeOrder().catch(() => undefined);
        if (order?.status === 201) accepted.push(order.body.id!);
        else refused++;
        await sleep(100); // pacing: about ten checkouts a second, not a wait for anything
      }
    };
    for (const fault of [
      { family: 'database-loss', mode: 'refused' },
      { family: 'database-loss', mode: 'reset' },
      { family: 'redis-loss', mode: 'refused' },
      { family: 'redis-loss', mode: 'blackhole' },
      { family: 'worker-death', mode: 'hang' },
    ]) {
      await placeFor(1_000);
      const id = await inject(fault);
      await placeFor(3_000);
      await clear(id);
    }
    await placeFor(1_000);
    expect(accepted.length).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(0); // the database faults did refuse some checkouts (503), which is not a loss
    await waitReady();
    await waitFulfilled(accepted, 120_000);
  }, 300_000);
});

describe('lab chaos CLI', () => {
  it('when an instructor injects, lists, clears and halts from the CLI, then each command does so and says what it did', async () => {
    const catalogue = await lab.lab('chaos', 'catalogue');
    expect(catalogue.code).toBe(0);
    expect(catalogue.stdout).toContain('worker-death (exit | hang | crash-loop | slow)');

    const injected = await lab.lab('chaos', 'inject', 'errors', '--target', 'api', '--rate', '1', '--for', '1m');
    expect(injected.code, injected.stderr).toBe(0);
    const id = /^(flt_\w+)/.exec(injected.stdout)?.[1];
    expect(injected.stdout).toMatch(/errors api HTTP 500 {2}for 1m/);
    expect(injected.stdout).not.toContain('warning');
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBe(500);

    expect((await lab.lab('chaos', 'list')).stdout).toContain(id);
    const cleared = await lab.lab('chaos', 'clear', id!);
    expect(cleared.stdout).toContain(`cleared ${id}`);
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBe(200);

    await lab.lab('chaos', 'inject', 'latency', '--target', 'payments', '--ms', '100');
    expect((await lab.lab('chaos', 'halt')).stdout).toContain('halted: 1 fault(s) cleared');
    expect((await lab.lab('chaos', 'list')).stdout).toContain('no active faults');
    const journal = (await lab.lab('chaos', 'journal')).stdout;
    expect(journal).toMatch(/inject/);
    expect(journal).toMatch(/halt/);
  });

  it('when payments latency is injected from the CLI as the README shows, then the very next order is slow', async () => {
    const injected = await lab.lab('chaos', 'inject', 'latency', '--target', 'payments', '--ms', '800', '--for', '1m');
    expect(injected.code, injected.stderr).toBe(0);
    expect(injected.stdout).not.toContain('warning');

    const started = performance.now();
    const order = await placeOrder();

    expect(order.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('when the CLI is given bad settings, then it fails naming the field', async () => {
    const bad = await lab.lab('chaos', 'inject', 'latency', '--target', 'api', '--ms', 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/ms: /);
  });
});

describe('safety levers', () => {
  it('when the halt lever is pulled, then every fault ends and the shop works again', async () => {
    await inject({ family: 'errors', target: 'api', rate: 1 });
    await inject({ family: 'database-loss', mode: 'refused' });
    await inject({ family: 'worker-death', mode: 'hang' });
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBeGreaterThanOrEqual(500);
    const halted = await lab.chaos('POST', '/api/halt');
    const { cleared, agents } = (await halted.json()) as { cleared: number; agents: AgentStatus[] };
    expect(cleared).toBe(3);
    expectAppliedByAll(agents);
    await waitReady(); // the database path heals at once; the pool reconnects on its own time
    const order = await placeOrder();
    expect(order.status).toBe(201);
    await waitFulfilled([order.body.id!]);
  }, 60_000);

  it('when a fault reaches its duration, then it reverts by itself', async () => {
    await inject({ family: 'errors', target: 'api', rate: 1, for: '2s' });
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBe(500);
    await waitFor('the fault to expire', async () => (await fetch(`${lab.url('api')}/api/products`)).status === 200, { timeoutMs: 10_000, intervalMs: 250 });
  });

  it("when the lab CLI runs with a token that is not the instructor's, then it can neither see nor change faults", async () => {
    const tokenFile = path.join(lab.stateDir, 'secrets', 'instructor-token');
    const instructorToken = readFileSync(tokenFile, 'utf8');
    writeFileSync(tokenFile, `${randomBytes(32).toString('base64url')}\n`); // a trainee's shell holds some other token
    try {
      const listed = await lab.lab('chaos', 'list');
      expect(listed.code).toBe(1);
      expect(listed.stdout).toMatch(/^error: /);
      const injected = await lab.lab('chaos', 'inject', 'errors', '--target', 'api', '--rate', '1');
      expect(injected.code).toBe(1);
      expect(injected.stdout).toMatch(/^error: /);
    } finally {
      writeFileSync(tokenFile, instructorToken);
    }
    expect(((await (await lab.chaos('GET', '/api/faults')).json()) as { faults: unknown[] }).faults).toEqual([]);
    expect((await fetch(`${lab.url('api')}/api/products`)).status).toBe(200);
  });

  it('when the instructor API is called without a token or with the agent token the services hold, then 401', async () => {
    expect((await fetch(`${lab.url('chaos')}/api/faults`)).status).toBe(401);
    const agentToken = readFileSync(path.join(lab.stateDir, 'secrets', 'agent-token'), 'utf8').trim();
    const asAgent = await fetch(`${lab.url('chaos')}/api/faults`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(asAgent.status).toBe(401);
  });
});

/**
 * The api's new fault families against the real api and payments (in-process), a real chaos
 * controller, Postgres and Redis: each family's symptom is there while the fault is active and
 * gone once it is cleared, once it expires, and after a halt.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { apiConfigSchema, startApi } from '@firedrill/api';
import { Shop, anOrder, newKey } from '../shop/helpers/shop.ts';
import { testLogger } from '../shop/helpers/shop.ts';
import { ChaosHarness } from './helpers/chaos-harness.ts';

let chaos: ChaosHarness;
let shop: Shop;
/** A small pool, so that a leak empties it within a few requests. */
const poolMax = 4;
const apiEnv = () => ({ ...chaos.agentEnv, DB_POOL_MAX: String(poolMax), READY_TIMEOUT_MS: '500' });

beforeAll(async () => {
  chaos = await ChaosHarness.start();
  shop = await Shop.start({ api: apiEnv(), payments: { env: chaos.agentEnv } });
  // The api answers before its Redis connection is up.
  await waitFor('the api to be ready', async () => (await ready()).status === 200, { timeoutMs: 15_000, intervalMs: 100 });
});

afterEach(async () => {
  await chaos.halt();
});

afterAll(async () => {
  await shop?.close();
  await chaos?.close();
});

async function ready(): Promise<{ status: number; postgres: boolean | undefined }> {
  const res = await fetch(`${shop.api.url}/api/health/ready`);
  const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
  return { status: res.status, postgres: body.checks.postgres?.ok };
}

/** A request that needs a database client: an order lookup. */
const lookUpOrder = () => fetch(`${shop.api.url}/api/orders/${randomUUID()}`);

/** Requests that each check a client out, until the leak has emptied the pool. */
async function drainPool(): Promise<void> {
  await waitFor(
    'the leak to empty the pool',
    async () => {
      await Promise.all(Array.from({ length: poolMax }, () => ready()));
      return (await ready()).status === 503;
    },
    { timeoutMs: 20_000, intervalMs: 10 },
  );
}

async function metricValue(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('pool-leak', () => {
  it('when the api leaks its clients, then readiness fails on postgres and queries time out waiting for a client; when cleared, both recover', async () => {
    expect(await ready()).toEqual({ status: 200, postgres: true });
    const { id } = await chaos.inject({ family: 'pool-leak', rate: 1 });

    await drainPool();
    const lookup = await lookUpOrder();
    const problem = (await lookup.json()) as { code: string };

    expect(await ready()).toEqual({ status: 503, postgres: false });
    expect(lookup.status).toBe(503);
    expect(problem.code).toBe('dependency_unavailable');

    await chaos.clear(id);
    expect(await ready()).toEqual({ status: 200, postgres: true });
    expect((await lookUpOrder()).status).toBe(404);
  });

  it('when the fault expires, then the leaked clients come back by themselves', async () => {
    const { id } = await chaos.inject({ family: 'pool-leak', rate: 1, for: '3s' });
    await drainPool();

    await waitFor('readiness to recover after expiry', async () => (await ready()).status === 200, { timeoutMs: 15_000, intervalMs: 200 });
    const journal = await chaos.journal();
    expect(journal.some((e) => e.action === 'expire' && e.faultId === id)).toBe(true);
  });

  it('when the api is restarted while the fault lasts, then it answers from the database again at first, and the leak empties the pool again', async () => {
    await chaos.inject({ family: 'pool-leak', rate: 1 });
    await drainPool();

    const restarted = await startApi(apiConfigSchema.parse({ ...restartEnv(), PORT: '0' }), { logger: testLogger('api') });
    try {
      const readyAt = (url: string) => fetch(`${url}/api/health/ready`).then((r) => r.status);
      // With a fresh pool the restarted api answers from the database again: the restart eases the incident.
      expect((await fetch(`${restarted.url}/api/orders/${randomUUID()}`)).status).toBe(404);
      await waitFor(
        'the leak to empty the restarted pool',
        async () => {
          await Promise.all(Array.from({ length: poolMax }, () => readyAt(restarted.url)));
          return (await readyAt(restarted.url)) === 503;
        },
        { timeoutMs: 20_000, intervalMs: 10 },
      );
    } finally {
      await chaos.halt();
      await restarted.close();
      // The next tests wait for the api's live agents: this one's is gone.
      await waitFor(
        'the closed agent to be no longer live',
        async () => {
          const { agents } = (await (await chaos.call('GET', '/api/agents')).json()) as { agents: { live: boolean }[] };
          return agents.filter((a) => a.live).length === 2;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
    }
  });
});

/** The running api's configuration, for a second instance of it (a restart). */
function restartEnv(): Record<string, string> {
  return {
    DATABASE_URL: shop.databaseUrl,
    REDIS_URL: shop.redisUrl,
    QUEUE_PREFIX: shop.queuePrefix,
    PAYMENTS_URL: `http://127.0.0.1:${shop.paymentsPort}`,
    PAYMENTS_TIMEOUT_MS: '1000',
    ...apiEnv(),
  };
}

describe('retry-amplification', () => {
  const attemptsPerCharge = async () => ({
    sum: await metricValue(shop.api.url, 'shop_payment_charge_attempts_sum'),
    count: await metricValue(shop.api.url, 'shop_payment_charge_attempts_count'),
  });

  /** Attempts the api made for one checkout while payments answers 503. */
  async function attemptsForOneCheckout(): Promise<number> {
    const before = await attemptsPerCharge();
    const res = await shop.placeOrder(anOrder(), newKey());
    await res.arrayBuffer();
    const after = await attemptsPerCharge();
    expect(after.count - before.count).toBe(1);
    return after.sum - before.sum;
  }

  it('when payments fails and the api amplifies its retries, then each charge makes that many attempts; when cleared, its own again', async () => {
    await chaos.inject({ family: 'errors', target: 'payments', rate: 1, status: 503 });
    const usual = await attemptsForOneCheckout();

    const { id } = await chaos.inject({ family: 'retry-amplification', attempts: 8, backoffMs: 0 });
    const amplified = await attemptsForOneCheckout();
    await chaos.clear(id);
    const afterwards = await attemptsForOneCheckout();

    expect(usual).toBe(3);
    expect(amplified).toBe(8);
    expect(afterwards).toBe(3);
  });
});

describe('release binding and halt', () => {
  it('when faults are bound to an api release, then clear-release of the api ends them and leaves the others', async () => {
    const release = { service: 'api', version: '2.4.0' };
    const leak = await chaos.inject({ family: 'pool-leak', rate: 1, release });
    const retries = await chaos.inject({ family: 'retry-amplification', release: { service: 'api', version: '2.4.1' } });
    const other = await chaos.inject({ family: 'latency', target: 'payments', ms: 1, release: { service: 'payments', version: '2.4.0' } });
    const listed = ((await (await chaos.call('GET', '/api/faults')).json()) as { faults: { id: string; release?: unknown }[] }).faults;
    expect(listed.find((f) => f.id === leak.id)?.release).toEqual(release);
    await drainPool();

    const res = await chaos.call('POST', '/api/faults/clear-release', { service: 'api' });
    const body = (await res.json()) as { service: string; cleared: { id: string; release: unknown }[]; agents: { applied: boolean }[] };

    expect(res.status).toBe(200);
    expect(body.cleared.map((f) => f.id).sort()).toEqual([leak.id, retries.id].sort());
    expect(body.agents.every((a) => a.applied)).toBe(true);
    expect(await ready()).toEqual({ status: 200, postgres: true });
    const still = ((await (await chaos.call('GET', '/api/faults')).json()) as { faults: { id: string }[] }).faults.map((f) => f.id);
    expect(still).toEqual([other.id]);
    const journal = await chaos.journal();
    expect(journal.find((e) => e.action === 'clear' && e.faultId === leak.id)?.details).toMatchObject({ release });
  });

  it('when clear-release names no service the lab knows, then it is refused with a 400 problem', async () => {
    const res = await chaos.call('POST', '/api/faults/clear-release', { service: 'postgres' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('when several new faults are active and the halt lever is pulled, then all end and the api recovers', async () => {
    await chaos.inject({ family: 'errors', target: 'payments', rate: 1, status: 503 });
    await chaos.inject({ family: 'retry-amplification', attempts: 6, backoffMs: 0 });
    await chaos.inject({ family: 'memory-leak', mbPerMinute: 1, kbPerRequest: 1 });
    await chaos.inject({ family: 'pool-leak', rate: 1 });
    await drainPool();

    expect(await chaos.halt()).toBe(4);

    expect(await ready()).toEqual({ status: 200, postgres: true });
    const before = await metricValue(shop.api.url, 'shop_payment_charge_attempts_sum');
    const order = await shop.placeOrder(anOrder(), newKey());
    expect(order.status).toBe(201);
    expect((await metricValue(shop.api.url, 'shop_payment_charge_attempts_sum')) - before).toBe(1);
  });
});

/**
 * redis-memory-pressure against a Redis of the test's own (its maxmemory is changed, so never the
 * shared one), the real api, payments and worker, and a real chaos controller: while the fault is
 * active, enqueueing fails with OOM, the outbox backlog grows and accepted orders wait; when it
 * ends — cleared, expired, halted, or ended while the controller was down — Redis gets its
 * previous settings back, the batch keys go, and the waiting orders are fulfilled.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { OwnRedis } from '../shop/helpers/own-infra.ts';
import { Shop, anOrder, newKey } from '../shop/helpers/shop.ts';
import { ChaosHarness } from './helpers/chaos-harness.ts';

let redisServer: OwnRedis;
let redis: Redis;
let chaos: ChaosHarness;
let shop: Shop;

beforeAll(async () => {
  redisServer = await OwnRedis.start();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  chaos = await ChaosHarness.start({ redisAdminUrl: redisServer.url });
  shop = await Shop.start({ redisUrl: redisServer.url });
  await shop.startWorker();
  await waitFor('the api to be ready', async () => (await fetch(`${shop.api.url}/api/health/ready`)).ok, { timeoutMs: 15_000, intervalMs: 100 });
});

afterEach(async () => {
  await chaos.halt();
});

afterAll(async () => {
  await shop?.close();
  await chaos?.close();
  redis?.disconnect();
  await redisServer?.stop();
});

const maxmemory = async () => ((await redis.config('GET', 'maxmemory')) as string[])[1];
const policy = async () => ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
const batchKeys = async () => (await redis.keys('batch:*')).length;
const canWrite = () =>
  redis.set('probe', 'x').then(
    () => 'ok',
    (err: Error) => err.message,
  );
const backlog = async () => {
  const text = await (await fetch(`${shop.api.url}/metrics`)).text();
  return Number(/^shop_outbox_backlog(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1] ?? Number.NaN);
};

async function placePaidOrder(): Promise<string> {
  const res = await shop.placeOrder(anOrder(), newKey());
  const body = (await res.json()) as { id: string; status: string };
  expect(res.status).toBe(201);
  return body.id;
}

const fulfilled = (id: string) =>
  waitFor(`order ${id} to be fulfilled`, async () => (await shop.getOrder(id)).status === 'fulfilled', { timeoutMs: 20_000, intervalMs: 200 });

describe('redis-memory-pressure', () => {
  it('when a batch job fills Redis, then enqueueing fails, the outbox backlog grows and orders wait; when cleared, Redis is as before and they are fulfilled', async () => {
    const before = { maxmemory: await maxmemory(), policy: await policy() };
    const { id } = await chaos.inject({ family: 'redis-memory-pressure', mode: 'fill', maxmemoryMb: 8 });

    const used = Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1]);
    const limit = Number(await maxmemory());
    expect(used).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThan(used);
    expect(await policy()).toBe('noeviction');
    expect(await batchKeys()).toBeGreaterThan(50);
    expect(await canWrite()).toMatch(/^OOM command not allowed/);
    const order = await placePaidOrder();
    await shop.api.relayOutbox();
    expect(await backlog()).toBeGreaterThanOrEqual(1);
    expect((await shop.getOrder(order)).status).toBe('paid');

    await chaos.clear(id);

    expect({ maxmemory: await maxmemory(), policy: await policy() }).toEqual(before);
    expect(await batchKeys()).toBe(0);
    expect(await canWrite()).toBe('ok');
    await shop.api.relayOutbox();
    await fulfilled(order);
    const journal = await chaos.journal();
    expect(journal.find((e) => e.action === 'execute' && e.faultId === id)?.details).toMatchObject({ maxmemory: limit });
    expect(journal.find((e) => e.action === 'revert' && e.faultId === id)?.details).toMatchObject({ maxmemory: before.maxmemory });
  });

  it('when the limit mode expires, then the previous maxmemory comes back by itself', async () => {
    const before = await maxmemory();
    await chaos.inject({ family: 'redis-memory-pressure', mode: 'limit', for: '2s' });
    expect(await canWrite()).toMatch(/^OOM/);
    expect(await batchKeys()).toBe(0);

    await waitFor('maxmemory to be restored after expiry', async () => (await maxmemory()) === before, { timeoutMs: 15_000, intervalMs: 200 });
    expect(await canWrite()).toBe('ok');
  });

  it('when one is active, then a second is refused with 409 until the first ends', async () => {
    await chaos.inject({ family: 'redis-memory-pressure', mode: 'limit' });
    const second = await chaos.call('POST', '/api/faults', { family: 'redis-memory-pressure', mode: 'fill' });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { code: string }).code).toBe('conflict');
  });

  it('when the halt lever is pulled, then Redis is restored', async () => {
    const before = await maxmemory();
    await chaos.inject({ family: 'redis-memory-pressure', mode: 'fill', maxmemoryMb: 4 });
    expect(await chaos.halt()).toBe(1);
    expect(await maxmemory()).toBe(before);
    expect(await batchKeys()).toBe(0);
  });

  it('when the fault ends while the controller is down, then the restarted controller restores Redis', async () => {
    const before = await maxmemory();
    const fault = await chaos.inject({ family: 'redis-memory-pressure', mode: 'fill', maxmemoryMb: 4, for: '2s' });
    await chaos.controller.close();
    expect(await batchKeys()).toBeGreaterThan(0);
    await waitFor('the fault to be past its end', async () => Date.now() > Date.parse(String(fault.expiresAt)), { timeoutMs: 10_000, intervalMs: 100 });

    await chaos.startController();

    expect(await maxmemory()).toBe(before);
    expect(await batchKeys()).toBe(0);
    const journal = await chaos.journal();
    expect(journal.filter((e) => e.faultId === fault.id).map((e) => e.action)).toEqual(['revert', 'expire', 'execute', 'inject']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { Shop, anOrder, newKey, type Json } from './helpers/shop.ts';
import { OwnPostgres, OwnRedis } from './helpers/own-infra.ts';

async function ready(shop: Shop): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${shop.api.url}/api/health/ready`);
  return { status: res.status, body: (await res.json()) as Json };
}

describe('health', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await Shop.start();
  });
  afterAll(() => shop?.close());

  it('when every dependency answers, then live and ready are 200 with a latency per dependency', async () => {
    const live = await fetch(`${shop.api.url}/api/health/live`);
    const { status, body } = await ready(shop);

    expect(live.status).toBe(200);
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    for (const name of ['postgres', 'redis', 'payments']) {
      expect(body.checks[name]).toMatchObject({ ok: true });
      expect(typeof body.checks[name].latencyMs).toBe('number');
    }
  });
});

describe('readiness when Postgres goes away', () => {
  let postgres: OwnPostgres;
  let shop: Shop;

  beforeAll(async () => {
    postgres = await OwnPostgres.start();
    shop = await Shop.start({ databaseUrl: postgres.shopUrl });
  });
  afterAll(async () => {
    await shop?.close();
    await postgres?.stop();
  });

  it('when Postgres stops, then ready is 503 naming postgres and orders get 503; after a restart, ready is 200 again', async () => {
    await postgres.stop();

    const down = await ready(shop);
    const order = await shop.placeOrder(anOrder(), newKey());
    const problem = (await order.json()) as Json;

    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.postgres.ok).toBe(false);
    expect(down.body.checks.postgres.error).toEqual(expect.any(String));
    expect(down.body.checks.redis.ok).toBe(true);
    expect(order.status).toBe(503);
    expect(problem.code).toBe('dependency_unavailable');

    await postgres.restart();
    const up = await waitFor(
      'api ready again',
      async () => {
        const r = await ready(shop);
        return r.status === 200 && r;
      },
      { timeoutMs: 15_000 },
    );
    expect(up.body.checks.postgres.ok).toBe(true);
    expect((await shop.placeOrder(anOrder(), newKey())).status).toBe(201);
  });
});

describe('readiness when Redis goes away', () => {
  let redis: OwnRedis;
  let shop: Shop;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    shop = await Shop.start({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await shop?.close();
    await redis?.stop();
  });

  it('when Redis stops, then ready is 503 naming redis; after a restart on the same port, ready is 200 again', async () => {
    await redis.stop();

    const down = await ready(shop);
    expect(down.status).toBe(503);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.postgres.ok).toBe(true);
    expect(down.body.checks.payments.ok).toBe(true);

    await redis.restart();
    const up = await waitFor(
      'api ready again',
      async () => {
        const r = await ready(shop);
        return r.status === 200 && r;
      },
      { timeoutMs: 15_000 },
    );
    expect(up.body.checks.redis.ok).toBe(true);
  });
});

describe('readiness when payments is down', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await Shop.start({ payments: false });
  });
  afterAll(() => shop?.close());

  it('when payments does not answer, then ready is 503 naming payments', async () => {
    const { status, body } = await ready(shop);

    expect(status).toBe(503);
    expect(body.checks.payments.ok).toBe(false);
    expect(body.checks.postgres.ok).toBe(true);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { deadLetterQueueName, fulfilmentQueueName } from '@firedrill/queue-contract';
import { startTraining, trainingConfigSchema, type RunningTraining } from '../src/index.ts';

/**
 * The training process in-process against real Postgres and Redis: flags, events and the levers
 * that act on the stores. No supervisor runs here, so deploys and rollbacks must refuse cleanly
 * (the native-lab test covers them).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'training-ops-'));
const queuePrefix = uniqueName('fdtrain');
let training: RunningTraining;
let labDatabaseUrl: string;
let shopDatabaseUrl: string;
let redis: Redis;
const token = { instructor: '', operator: '', agent: '' };

beforeAll(async () => {
  token.instructor = ensureTokenFile(path.join(dir, 'instructor-token'));
  token.operator = ensureTokenFile(path.join(dir, 'operator-token'));
  token.agent = ensureTokenFile(path.join(dir, 'agent-token'));
  labDatabaseUrl = await createTestDatabase('lab');
  shopDatabaseUrl = await createTestDatabase('shop');
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  training = await startTraining(
    trainingConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: labDatabaseUrl,
      SHOP_ADMIN_DATABASE_URL: shopDatabaseUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: queuePrefix,
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      DEAD_LETTER_LOCK_WAIT_MS: '0',
    }),
    { logger: createLogger('training-test', 'silent') },
  );
});
afterAll(async () => {
  await training?.close();
  redis?.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: string, route: string, role: keyof typeof token, body?: unknown) => {
  const response = await fetch(`${training.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token[role]}`,
      'x-firedrill-actor': 'ada',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
};
const lever = (text: string, role: keyof typeof token = 'operator') => call('POST', '/api/levers', role, { lever: text });
const eventsOf = async (kind: string) => (await call('GET', `/api/events?kind=${kind}&limit=1000`, 'instructor')).body.events as Array<Record<string, any>>;

describe('flags', () => {
  it('when nothing was changed, then the agent reads every flag at its default, at version 0', async () => {
    const { status, body } = await call('GET', '/api/flags', 'agent');
    expect(status).toBe(200);
    expect(body).toEqual({
      version: 0,
      flags: {
        'payments.fraud-check': false,
        'payments.secondary-gateway': false,
        'api.payment-timeout-ms': 2000,
        'api.payment-retries': 3,
        'api.payments-circuit-breaker': false,
        'api.degraded-mode': false,
      },
    });
  });

  it('when an operator sets a flag, then the agent reads the new value at a higher version, and the change is in its history and the events', async () => {
    const before = (await call('GET', '/api/flags', 'agent')).body.version as number;
    const set = await call('PUT', '/api/flags/api.payment-timeout-ms', 'operator', { value: 800 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ lever: 'flag api.payment-timeout-ms 800', details: { changed: true } });

    const after = (await call('GET', '/api/flags', 'agent')).body;
    expect(after.flags['api.payment-timeout-ms']).toBe(800);
    expect(after.version).toBeGreaterThan(before);

    const flag = (await call('GET', '/api/flags/api.payment-timeout-ms', 'operator')).body;
    expect(flag).toMatchObject({ value: 800, default: 2000, changedBy: 'operator:ada' });
    expect(flag.history[0]).toMatchObject({ actor: 'operator:ada', previous: 2000, value: 800 });
    expect((await eventsOf('flag.changed')).at(-1)).toMatchObject({
      actor: 'operator:ada',
      data: { flag: 'api.payment-timeout-ms', previous: 2000, value: 800 },
    });
  });

  it('when a provider that has the current version asks with since and waitMs, then the answer waits for the next change and brings it', async () => {
    const { version } = (await call('GET', '/api/flags', 'agent')).body;
    let answered = false;
    const held = call('GET', `/api/flags?since=${version}&waitMs=5000`, 'agent').then((res) => {
      answered = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);

    await call('PUT', '/api/flags/api.payment-retries', 'operator', { value: 2 });
    const { status, body } = await held;

    expect(status).toBe(200);
    expect(body.version).toBeGreaterThan(version);
    expect(body.flags['api.payment-retries']).toBe(2);
    // A provider behind the current version is answered at once; a wait above the limit is refused.
    expect((await call('GET', `/api/flags?since=${version}&waitMs=5000`, 'agent')).body.version).toBe(body.version);
    expect((await call('GET', '/api/flags?since=1&waitMs=60000', 'agent')).status).toBe(400);
  });

  it('when a flag is set to the value it has, then the version stays and no change is recorded, but the lever application is', async () => {
    await lever('failover payments');
    const version = (await call('GET', '/api/flags', 'agent')).body.version;
    const changes = (await eventsOf('flag.changed')).length;
    const applied = (await eventsOf('lever.applied')).length;
    const again = await lever('failover payments');
    expect(again.body).toMatchObject({ summary: 'payments.secondary-gateway was already true', details: { changed: false } });
    expect((await call('GET', '/api/flags', 'agent')).body.version).toBe(version);
    expect((await eventsOf('flag.changed')).length).toBe(changes);
    expect((await eventsOf('lever.applied')).length).toBe(applied + 1);
  });

  it('when a flag is given a value of the wrong type or out of range, or does not exist, then it is a 4xx problem naming it', async () => {
    const wrongType = await call('PUT', '/api/flags/api.degraded-mode', 'operator', { value: 1 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.type).toContain('application/problem+json');
    expect(wrongType.body.errors[0].field).toBe('value');
    expect((await call('PUT', '/api/flags/api.payment-retries', 'operator', { value: 500 })).status).toBe(400);
    expect((await call('PUT', '/api/flags/no.such-flag', 'operator', { value: true })).status).toBe(400);
    expect((await call('PUT', '/api/flags/api.degraded-mode', 'operator', { value: true, extra: 1 })).status).toBe(400);
  });

  it('when the training process restarts, then it serves the flags it had, at the same version', async () => {
    const before = (await call('GET', '/api/flags', 'agent')).body;
    await training.close();
    training = await startTraining(
      trainingConfigSchema.parse({
        PORT: '0',
        LAB_DATABASE_URL: labDatabaseUrl,
        SHOP_ADMIN_DATABASE_URL: shopDatabaseUrl,
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: queuePrefix,
        INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
        OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
        AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
        DEAD_LETTER_LOCK_WAIT_MS: '0',
      }),
      { logger: createLogger('training-test', 'silent') },
    );
    expect((await call('GET', '/api/flags', 'agent')).body).toEqual(before);
  });
});

describe('levers on the stores', () => {
  it('when redis-delete sweeps a pattern, then matching keys go, other keys and the fulfilment queue stay', async () => {
    const tag = uniqueName('cache');
    await redis.mset(`${tag}:1`, 'a', `${tag}:2`, 'b', `${tag}-other`, 'c');
    const queue = new Queue(fulfilmentQueueName, { prefix: queuePrefix, connection: redis });
    await queue.add('fulfil-order', { orderId: '00000000-0000-4000-8000-000000000001' }, { jobId: 'kept-job' });
    try {
      const { status, body } = await lever(`redis-delete ${tag}:*`);
      expect(status).toBe(200);
      expect(body.details).toMatchObject({ deleted: 2, complete: true });
      expect(await redis.exists(`${tag}:1`, `${tag}:2`)).toBe(0);
      expect(await redis.get(`${tag}-other`)).toBe('c');

      const everything = await lever(`redis-delete ${queuePrefix}:*`);
      expect(everything.body.details.keptQueueKeys).toBeGreaterThan(0);
      expect(await queue.getJob('kept-job')).toBeDefined();
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('when redis-maxmemory is pulled, then Redis has that limit, and the lever says what it was', async () => {
    const [, previous] = (await redis.config('GET', 'maxmemory')) as [string, string];
    try {
      // The largest value the lever takes: other test files share this Redis.
      const { status, body } = await lever('redis-maxmemory 16384');
      expect(status).toBe(200);
      expect(body.details).toEqual({ previousBytes: Number(previous), bytes: 16384 * 2 ** 20 });
      expect((await redis.config('GET', 'maxmemory'))[1]).toBe(String(16384 * 2 ** 20));
    } finally {
      await redis.config('SET', 'maxmemory', previous);
    }
  });

  it('when dead-letter names a queued job, then it moves to the dead-letter queue; an unknown job is 404', async () => {
    const queue = new Queue(fulfilmentQueueName, { prefix: queuePrefix, connection: redis });
    const deadLetters = new Queue(deadLetterQueueName, { prefix: queuePrefix, connection: redis });
    try {
      await queue.add('fulfil-order', { orderId: 'not-a-uuid' }, { jobId: 'poison', delay: 60_000 });
      const { status, body } = await lever('dead-letter poison');
      expect(status).toBe(200);
      expect(body.summary).toMatch(/moved to fulfilment-dead-letter/);
      expect(await queue.getJob('poison')).toBeUndefined();
      expect((await deadLetters.getJob('poison'))?.data).toEqual({ orderId: 'not-a-uuid' });

      const unknown = await lever('dead-letter no-such-job');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('job_not_found');
    } finally {
      await Promise.all([queue.obliterate({ force: true }), deadLetters.obliterate({ force: true })]);
      await Promise.all([queue.close(), deadLetters.close()]);
    }
  });

  it("when end-db-sessions is pulled, then the shop database's client sessions are ended and the lab's are not", async () => {
    const shopSession = new pg.Client({ connectionString: shopDatabaseUrl });
    const labSession = new pg.Client({ connectionString: labDatabaseUrl });
    await Promise.all([shopSession.connect(), labSession.connect()]);
    // The server ending the session is an 'error' event on the client (possibly more than one).
    const ended = new Promise<void>((resolve) => shopSession.on('error', () => resolve()));
    try {
      const { status, body } = await lever('end-db-sessions');
      expect(status).toBe(200);
      expect(body.details.ended).toBeGreaterThanOrEqual(1);
      await ended;
      await expect(shopSession.query('SELECT 1')).rejects.toThrow();
      expect((await labSession.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    } finally {
      await Promise.allSettled([shopSession.end(), labSession.end()]);
    }
  });
});

describe('levers that need the supervisor, where none runs', () => {
  it('when a rollback, a deploy or a scale is asked for, then it is 503 lever_unavailable, and no release is recorded', async () => {
    for (const [method, route, role, body] of [
      ['POST', '/api/releases/payments/deploy', 'instructor', { version: '2.4.0' }],
      ['POST', '/api/levers', 'operator', { lever: 'scale worker 2' }],
      ['POST', '/api/levers', 'operator', { lever: 'restart api' }],
    ] as const) {
      const answer = await call(method, route, role, body);
      expect({ route, status: answer.status, code: answer.body.code }).toEqual({ route, status: 503, code: 'lever_unavailable' });
    }
    expect((await call('GET', '/api/releases', 'operator')).body).toEqual({ current: { api: '2.3.0', payments: '2.3.0', worker: '2.3.0' }, releases: [] });
  });

  it('when nothing was deployed, then a rollback is 409 nothing_to_roll_back', async () => {
    const answer = await call('POST', '/api/releases/payments/rollback', 'operator');
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('nothing_to_roll_back');
  });
});

describe('events', () => {
  it('when events are read, then they come oldest first, paged with after, each with who and when', async () => {
    const all = (await call('GET', '/api/events?limit=1000', 'instructor')).body.events as Array<{ id: number; at: string; actor: string }>;
    expect(all.length).toBeGreaterThan(3);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
    for (const event of all) expect(event.actor).toMatch(/^(operator|instructor):ada$/);
    const rest = (await call('GET', `/api/events?after=${all[1]!.id}`, 'instructor')).body.events as Array<{ id: number }>;
    expect(rest[0]?.id).toBe(all[2]!.id);
  });

  it('when an instructor-only event exists, then the operator does not see it and the instructor does', async () => {
    const pool = new pg.Pool({ connectionString: labDatabaseUrl });
    try {
      await pool.query(`INSERT INTO training.events (actor, kind, data, visibility) VALUES ('instructor', 'fault.injected', '{}', 'instructor')`);
    } finally {
      await pool.end();
    }
    expect(await eventsOf('fault.injected')).toHaveLength(1);
    expect((await call('GET', '/api/events?kind=fault.injected', 'operator')).body.events).toEqual([]);
  });

  it('when the query is malformed, then it is 400 naming the field', async () => {
    const answer = await call('GET', '/api/events?after=-1', 'operator');
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('after');
  });
});

describe('metrics', () => {
  it('when Prometheus scrapes training, then it answers without a token', async () => {
    const response = await fetch(`${training.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('http_requests_total');
  });
});

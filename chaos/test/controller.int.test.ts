import { mkdtempSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { freePort, startToxiproxy, waitFor, type ToxiproxyServer } from '@firedrill/lab-infra';
import { createTestDatabase, testRedisUrl } from '@firedrill/lab-infra/testing';
import { controllerConfigSchema, createToxiproxyClient, ensureTokenFile, startController } from '../src/index.ts';
import { FaultAgent } from '../src/agent/index.ts';

const logger = createLogger('chaos-test', 'silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'chaos-test-'));
chmodSync(dir, 0o755);
const instructorToken = ensureTokenFile(path.join(dir, 'instructor-token'));
const agentToken = ensureTokenFile(path.join(dir, 'agent-token'));
const alertsToken = ensureTokenFile(path.join(dir, 'alerts-token'));

let labDatabaseUrl: string;
let shopDatabaseUrl: string;
let toxiproxy: ToxiproxyServer;
let postgresProxyPort: number;
let redisProxyPort: number;
let controller: Awaited<ReturnType<typeof startController>>;

async function start(overrides: Record<string, string> = {}) {
  const config = controllerConfigSchema.parse({
    PORT: '0',
    LAB_DATABASE_URL: labDatabaseUrl,
    TOXIPROXY_URL: toxiproxy.url,
    // Nothing listens on port 1: these tests inject no Redis fault, and must never reach a real
    // Redis (the shared test Redis, or a lab's on the default port) if one did.
    REDIS_ADMIN_URL: 'redis://127.0.0.1:1',
    // A class of blue and green (their Redis on port 1 too): every fault names one of them (decision 0015).
    CLASS_SHOPS: JSON.stringify({ blue: { redis: 'redis://127.0.0.1:1' }, green: { redis: 'redis://127.0.0.1:1' } }),
    INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
    AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
    ALERTS_TOKEN_FILE: path.join(dir, 'alerts-token'),
    AGENT_POLL_MS: '100',
    ...overrides,
  });
  return startController(config, { logger });
}

function call(method: string, url: string, options: { token?: string | null; body?: unknown; actor?: string } = {}) {
  const token = options.token === undefined ? instructorToken : options.token;
  return fetch(`${controller.url}${url}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.actor && { 'x-firedrill-actor': options.actor }),
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
}

/** One query through the Postgres proxy; resolves with its answer and latency or rejects with the failure. */
async function queryThroughProxy(timeoutMs = 1_500): Promise<{ answer: number; ms: number }> {
  const client = new pg.Client({
    connectionString: shopDatabaseUrl.replace(/:\d+\//, `:${postgresProxyPort}/`),
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => {});
  const started = performance.now();
  try {
    await client.connect();
    const { rows } = await client.query<{ answer: number }>('SELECT 1 AS answer');
    return { answer: rows[0]!.answer, ms: performance.now() - started };
  } finally {
    await client.end().catch(() => {});
  }
}

beforeAll(async () => {
  labDatabaseUrl = await createTestDatabase('lab');
  shopDatabaseUrl = await createTestDatabase('shop');
  toxiproxy = await startToxiproxy({ port: await freePort(), logFile: path.join(dir, 'toxiproxy.log') });
  postgresProxyPort = await freePort();
  redisProxyPort = await freePort();
  const postgresPort = new URL(shopDatabaseUrl).port;
  const redisPort = new URL(testRedisUrl()).port;
  await createToxiproxyClient(toxiproxy.url).populate([
    // The controller is a class's (CLASS_SHOPS): a fault names its team, and a network fault acts on that team's proxy.
    { name: 'blue-postgres', listen: `127.0.0.1:${postgresProxyPort}`, upstream: `127.0.0.1:${postgresPort}` },
    { name: 'blue-redis', listen: `127.0.0.1:${redisProxyPort}`, upstream: `127.0.0.1:${redisPort}` },
  ]);
  controller = await start();
});

afterAll(async () => {
  await controller?.close();
  await toxiproxy?.stop();
});

describe('chaos controller: access', () => {
  it('when a request has no token or a wrong one, then every instructor endpoint answers 401', async () => {
    const endpoints: [string, string][] = [
      ['GET', '/api/catalogue'],
      ['GET', '/api/faults'],
      ['POST', '/api/faults'],
      ['DELETE', '/api/faults/x'],
      ['POST', '/api/halt'],
      ['GET', '/api/journal'],
      ['GET', '/api/agents'],
      ['GET', '/api/openapi.json'],
      ['GET', '/metrics'],
    ];
    for (const [method, url] of endpoints) {
      for (const token of [null, 'not-the-token', agentToken]) {
        const res = await call(method, url, { token, body: method === 'POST' ? {} : undefined });
        expect(res.status, `${method} ${url} with ${token === agentToken ? 'the agent token' : String(token)}`).toBe(401);
        expect(((await res.json()) as any).code).toBe('unauthorized');
      }
    }
  });

  it('when an agent asks without the agent token, then it is refused', async () => {
    expect((await call('GET', '/api/agent/faults?service=api', { token: instructorToken })).status).toBe(401);
    expect((await call('GET', '/api/agent/faults?service=api', { token: agentToken })).status).toBe(200);
  });
});

describe('chaos controller: validation', () => {
  it.each([
    [{ family: 'latency', target: 'api' }, 'ms'],
    [{ family: 'latency', target: 'postgres', ms: 10 }, 'target'],
    [{ family: 'errors', target: 'api', rate: 2 }, 'rate'],
    [{ family: 'payment-failures', mode: 'sometimes' }, 'mode'],
    [{ family: 'nope' }, 'family'],
    [{ family: 'worker-death', mode: 'hang', for: 'forever' }, 'for'],
    [{ family: 'worker-death', mode: 'hang', for: '3h' }, 'for'],
  ])('when %j is injected, then 400 names %s', async (body, field) => {
    const res = await call('POST', '/api/faults', { body });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as any;
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('when an unknown fault is cleared or read, then 404', async () => {
    expect((await call('DELETE', '/api/faults/flt_nope')).status).toBe(404);
    expect((await call('GET', '/api/faults/flt_nope')).status).toBe(404);
  });

  it('when a fault of any family in a class names no team (or one without a shop), then 409 names the teams, and nothing is injected or journalled', async () => {
    const journalBefore = ((await (await call('GET', '/api/journal')).json()) as { entries: unknown[] }).entries.length;
    for (const body of [
      { family: 'latency', target: 'payments', ms: 100, for: '1m' },
      { family: 'database-loss', mode: 'refused', for: '1m' },
      { family: 'worker-death', mode: 'exit', for: '1m' },
      // A class has no Redis or `redis` proxy of its own (decision 0015): these would act on nothing either.
      { family: 'redis-memory-pressure', mode: 'limit', for: '1m' },
      { family: 'redis-loss', mode: 'refused', for: '1m' },
    ]) {
      const res = await call('POST', '/api/faults', { body });
      expect(res.status, body.family).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toBe(
        `In this class each team has its own shop: name the team whose shop the ${body.family} fault is for (teams: blue, green)`,
      );
    }
    const red = await call('POST', '/api/faults', { body: { family: 'errors', team: 'red', target: 'api', for: '1m' } });
    expect(red.status).toBe(409);
    expect(((await red.json()) as { detail: string }).detail).toBe('Team red has no shop in this class (teams: blue, green)');
    expect(((await (await call('GET', '/api/faults')).json()) as { faults: unknown[] }).faults).toEqual([]);
    expect(((await (await call('GET', '/api/journal')).json()) as { entries: unknown[] }).entries).toHaveLength(journalBefore);
  });

  it('when the lab is a single lab (no CLASS_SHOPS), then a fault for no team is injected as ever, and one naming a team is refused', async () => {
    const single = await start({ CLASS_SHOPS: '' });
    const inject = (body: unknown) =>
      fetch(`${single.url}/api/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${instructorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const teamed = await inject({ family: 'latency', team: 'blue', target: 'api', ms: 100, for: '1m' });
      expect(teamed.status).toBe(409);
      expect(((await teamed.json()) as { detail: string }).detail).toBe("This lab runs one shop, no team's: a fault names no team (blue given)");
      const plain = await inject({ family: 'latency', target: 'api', ms: 100, for: '1m' });
      expect(plain.status).toBe(201);
      expect(single.registry.list().map((f) => f.spec)).toEqual([expect.objectContaining({ family: 'latency', target: 'api', ms: 100 })]);
      await single.registry.halt('test');
    } finally {
      await single.close();
    }
  });
});

describe('chaos controller: lifecycle', () => {
  it('when a fault is injected and cleared, then both are listed, journalled with the actor and reflected in the gauge', async () => {
    const injected = await call('POST', '/api/faults', { body: { family: 'latency', team: 'blue', target: 'api', ms: 200, for: '5m' }, actor: 'ada' });
    expect(injected.status).toBe(201);
    const fault = (await injected.json()) as any;
    expect(fault).toMatchObject({ family: 'latency', target: 'api', ms: 200, createdBy: 'ada' });
    expect(fault.remainingSeconds).toBeGreaterThan(290);

    expect(((await (await call('GET', '/api/faults')).json()) as any).faults.map((f: { id: string }) => f.id)).toContain(fault.id);
    const metrics = await (await call('GET', '/metrics')).text();
    // The fault's team as fault_team (never team: a trainee's label proxy hands out what carries their team).
    expect(metrics).toMatch(/chaos_fault_active\{family="latency",target="api",mode="none",fault_team="blue",service="chaos"\} 1/);

    expect((await call('DELETE', `/api/faults/${fault.id}`, { actor: 'ada' })).status).toBe(200);
    expect(((await (await call('GET', '/api/faults')).json()) as any).faults.map((f: { id: string }) => f.id)).not.toContain(fault.id);
    const journal = ((await (await call('GET', '/api/journal')).json()) as any).entries.filter((e: { faultId: string }) => e.faultId === fault.id);
    expect(journal.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual(['clear:ada', 'inject:ada']);
    expect(journal[1].details.spec).toMatchObject({ family: 'latency', ms: 200 });
  });

  it('when a fault reaches its duration, then it reverts by itself and the expiry is journalled', async () => {
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'errors', team: 'blue', target: 'payments', for: '1s' } })).json()) as any;
    await waitFor(
      'the fault to expire',
      async () => !((await (await call('GET', '/api/faults')).json()) as any).faults.some((f: { id: string }) => f.id === fault.id),
      { timeoutMs: 5_000 },
    );
    const journal = ((await (await call('GET', '/api/journal')).json()) as any).entries;
    expect(journal.find((e: { faultId: string; action: string }) => e.faultId === fault.id && e.action === 'expire')).toBeDefined();
  });

  it('when the halt lever is pulled, then every active fault ends at once', async () => {
    for (const body of [
      { family: 'latency', team: 'blue', target: 'payments', ms: 50 },
      { family: 'worker-death', team: 'green', mode: 'slow' },
      { family: 'redis-loss', mode: 'slow', ms: 20, team: 'blue' },
    ]) {
      expect((await call('POST', '/api/faults', { body })).status).toBe(201);
    }
    const res = await call('POST', '/api/halt', { actor: 'ada' });
    expect((await res.json()) as any).toEqual({ cleared: 3, agents: [] }); // no agent polls this controller here
    expect(((await (await call('GET', '/api/faults')).json()) as any).faults).toEqual([]);
    expect((await createToxiproxyClient(toxiproxy.url).proxy('blue-redis')).toxics).toEqual([]);
  });

  it('when the controller restarts, then active faults come back with their remaining time', async () => {
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'worker-death', team: 'blue', mode: 'hang', for: '10m' } })).json()) as any;
    await controller.close();
    controller = await start({ PORT: String(controller.port) });
    const restored = (await (await call('GET', `/api/faults/${fault.id}`)).json()) as any;
    expect(restored.expiresAt).toBe(fault.expiresAt);
    expect(restored.remainingSeconds).toBeLessThanOrEqual(fault.remainingSeconds);
    await call('DELETE', `/api/faults/${fault.id}`);
  });
});

describe('chaos controller: network faults through Toxiproxy', () => {
  it('when the database is refused, then connections through the proxy fail until the fault is cleared', async () => {
    expect((await queryThroughProxy()).answer).toBe(1);
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'database-loss', team: 'blue', mode: 'refused' } })).json()) as any;
    expect(fault.agents).toEqual([]); // Toxiproxy's fault: applied before the answer, no agent involved
    await expect(queryThroughProxy()).rejects.toThrow(/ECONNREFUSED|terminated|Connection/i);
    await call('DELETE', `/api/faults/${fault.id}`);
    expect((await queryThroughProxy()).answer).toBe(1);
  });

  it('when the database is black-holed, then queries get no answer; when cleared, they work again', async () => {
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'database-loss', team: 'blue', mode: 'blackhole' } })).json()) as any;
    await expect(queryThroughProxy(800)).rejects.toThrow(/timeout|terminated/i);
    await call('DELETE', `/api/faults/${fault.id}`);
    expect((await queryThroughProxy()).answer).toBe(1);
  });

  it('when the database is slowed by 300 ms, then a query takes at least that long', async () => {
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'database-loss', team: 'blue', mode: 'slow', ms: 300 } })).json()) as any;
    expect((await queryThroughProxy(5_000)).ms).toBeGreaterThanOrEqual(300);
    await call('DELETE', `/api/faults/${fault.id}`);
  });

  it("when blue's Redis connections are reset, then commands fail; when cleared, they work again", async () => {
    const redis = () => {
      const client = new Redis(`redis://127.0.0.1:${redisProxyPort}`, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 1_000,
      });
      client.on('error', () => {});
      return client;
    };
    const fault = (await (await call('POST', '/api/faults', { body: { family: 'redis-loss', mode: 'reset', team: 'blue' } })).json()) as any;
    const broken = redis();
    await expect(broken.connect().then(() => broken.ping())).rejects.toThrow();
    broken.disconnect();
    await call('DELETE', `/api/faults/${fault.id}`);
    const healthy = redis();
    await healthy.connect();
    expect(await healthy.ping()).toBe('PONG');
    healthy.disconnect();
  });

  it('when Toxiproxy is unreachable, then a network fault is refused with 503 and nothing stays active', async () => {
    const other = await start({ TOXIPROXY_URL: `http://127.0.0.1:${await freePort()}` });
    try {
      const res = await fetch(`${other.url}/api/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${instructorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ family: 'database-loss', team: 'blue' }),
      });
      expect(res.status).toBe(503);
      expect(other.registry.list()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('alert record', () => {
  const notify = (token: string | null, body: unknown) => call('POST', '/api/alerts/webhook', { token, body });
  const alert = (status: 'firing' | 'resolved', endsAt?: string) => ({
    status,
    labels: { alertname: 'ApiErrorRateHigh', severity: 'page', service: 'api' },
    annotations: { summary: 'api 5xx above 5 %' },
    startsAt: '2026-11-23T10:00:00.000Z',
    ...(endsAt && { endsAt }),
    fingerprint: 'abc123',
  });

  it('when Alertmanager reports an alert firing and then resolved, then the lab lists when it fired and resolved, to anyone', async () => {
    expect((await notify(alertsToken, { version: '4', status: 'firing', alerts: [alert('firing')] })).status).toBe(204);
    expect((await notify(alertsToken, { version: '4', status: 'resolved', alerts: [alert('resolved', '2026-11-23T10:02:30.000Z')] })).status).toBe(204);
    const listed = ((await (await call('GET', '/api/alerts', { token: null })).json()) as any).alerts;
    expect(listed.filter((a: { alertname: string }) => a.alertname === 'ApiErrorRateHigh')).toEqual([
      expect.objectContaining({
        status: 'resolved',
        severity: 'page',
        summary: 'api 5xx above 5 %',
        firedAt: '2026-11-23T10:00:00.000Z',
        resolvedAt: '2026-11-23T10:02:30.000Z',
      }),
    ]);
  });

  it('when the webhook is called without the alerts token or with a malformed notification, then it is refused', async () => {
    expect((await notify(null, { status: 'firing', alerts: [] })).status).toBe(401);
    expect((await notify(instructorToken, { status: 'firing', alerts: [] })).status).toBe(401);
    const bad = await notify(alertsToken, { status: 'firing', alerts: [{ status: 'burning' }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors.map((e: { field: string }) => e.field)).toContain('alerts.0.status');
  });
});

describe('chaos controller: a change is answered once agents carry it', () => {
  it('when a fault is injected for a service whose agent polls, then the answer comes once that agent carries it, and a clear likewise', async () => {
    const agent = new FaultAgent({ service: 'payments', team: 'blue', controllerUrl: controller.url, token: agentToken, logger }).start();
    try {
      await waitFor('the controller to hear from the agent', async () => agent.contact.answeredPolls >= 1, { timeoutMs: 3_000, intervalMs: 10 });

      const fault = (await (await call('POST', '/api/faults', { body: { family: 'latency', team: 'blue', target: 'payments', ms: 100 } })).json()) as any;

      expect(fault.agents).toEqual([{ agent: agent.id, service: 'payments', applied: true }]);
      expect(agent.active('latency').map((f) => f.id)).toEqual([fault.id]); // no waiting between the answer and the effect
      const listed = ((await (await call('GET', '/api/agents')).json()) as any).agents;
      expect(listed).toContainEqual({ agent: agent.id, service: 'payments', applied: true, live: true, lastSeenAt: expect.any(String) });

      const cleared = (await (await call('DELETE', `/api/faults/${fault.id}`)).json()) as any;

      expect(cleared.agents).toEqual([{ agent: agent.id, service: 'payments', applied: true }]);
      expect(agent.active('latency')).toEqual([]);
    } finally {
      agent.close();
    }
  });

  it('when an agent of the target stops answering, then the inject answers after the bounded wait and names it as not applied', async () => {
    const agent = new FaultAgent({ service: 'worker', team: 'blue', controllerUrl: controller.url, token: agentToken, logger }).start();
    await waitFor('the controller to hear from the agent', async () => agent.contact.answeredPolls >= 1, { timeoutMs: 3_000, intervalMs: 10 });
    agent.close(); // still counted live for a second: it was heard from just now

    const fault = (await (await call('POST', '/api/faults', { body: { family: 'worker-death', team: 'blue', mode: 'slow' } })).json()) as any;

    expect(fault.agents).toEqual([{ agent: agent.id, service: 'worker', applied: false }]);
    await call('DELETE', `/api/faults/${fault.id}`);
  });
});

describe('chaos controller: long polls', () => {
  const poll = (query: string) => call('GET', `/api/agent/faults?service=api&team=blue&agent=api@test:1&${query}`, { token: agentToken });

  it('when an agent that has the current version asks with waitMs, then the answer waits for the next change and brings it', async () => {
    const { version } = (await (await poll('')).json()) as any;
    let answered = false;
    const held = poll(`applied=${version}&waitMs=5000`).then(async (res) => {
      answered = true;
      return res.json() as Promise<any>;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);

    const fault = (await (await call('POST', '/api/faults', { body: { family: 'latency', team: 'blue', target: 'api', ms: 50 } })).json()) as any;
    const answer = await held;

    expect(answer.version).toBeGreaterThan(version);
    expect(answer.faults.map((f: { id: string }) => f.id)).toEqual([fault.id]);
    await call('DELETE', `/api/faults/${fault.id}`);
  });

  it('when an agent is behind, or nothing changes within its wait, then it is answered at once, or when the wait runs out', async () => {
    const { version } = (await (await poll('')).json()) as any;
    const behind = performance.now();
    expect(((await (await poll(`applied=${version - 1}&waitMs=5000`)).json()) as any).version).toBe(version);
    expect(performance.now() - behind).toBeLessThan(1_000);

    const idle = performance.now();
    expect(((await (await poll(`applied=${version}&waitMs=400`)).json()) as any).version).toBe(version);
    expect(performance.now() - idle).toBeGreaterThanOrEqual(390);
  });

  it('when waitMs is above the limit, then 400 names it', async () => {
    const res = await poll('applied=1&waitMs=60000');
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors.map((e: { field: string }) => e.field)).toContain('waitMs');
  });
});

describe('chaos agent', () => {
  it("when the controller goes quiet, then the agent reverts its faults after the dead man's switch delay", async () => {
    const agent = new FaultAgent({
      service: 'api',
      team: 'blue',
      controllerUrl: controller.url,
      token: agentToken,
      logger,
      pollMs: 100,
      deadMansSwitchMs: 1_000,
    }).start();
    try {
      const fault = (await (await call('POST', '/api/faults', { body: { family: 'latency', team: 'blue', target: 'api', ms: 100 } })).json()) as any;
      await waitFor('the agent to see the fault', async () => agent.active('latency').length === 1, { timeoutMs: 3_000 });
      await controller.close();
      const { failedPolls } = agent.contact;
      await waitFor('the agent to fail to reach the controller twice', async () => agent.contact.failedPolls >= failedPolls + 2, { timeoutMs: 3_000 });
      expect(agent.active('latency')).toHaveLength(1); // still within the switch delay
      await waitFor('the agent to revert', async () => agent.active('latency').length === 0, { timeoutMs: 5_000 });
      controller = await start({ PORT: String(controller.port) });
      // The controller restored the fault; the agent picks it up again once it answers.
      await waitFor('the agent to see the restored fault', async () => agent.active('latency').length === 1, { timeoutMs: 3_000 });
      await call('DELETE', `/api/faults/${fault.id}`);
      await waitFor('the agent to see the clear', async () => agent.active('latency').length === 0, { timeoutMs: 3_000 });
    } finally {
      agent.close();
    }
  });
});

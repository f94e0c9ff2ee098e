import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { Redis } from 'ioredis';
import { freePort, startRedis, startToxiproxy, type RedisServer, type ToxiproxyServer } from '@firedrill/lab-infra';
import { createTestDatabase, testRedisUrl } from '@firedrill/lab-infra/testing';
import { runSchemathesis } from '@firedrill/lab-infra';
import { controllerConfigSchema, createToxiproxyClient, ensureTokenFile, startController } from '../src/index.ts';

describe('chaos controller OpenAPI, fuzzed by schemathesis', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chaos-fuzz-'));
  let toxiproxy: ToxiproxyServer;
  let redis: RedisServer;
  let controller: Awaited<ReturnType<typeof startController>>;
  let instructorToken: string;

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    instructorToken = ensureTokenFile(path.join(dir, 'instructor-token'));
    ensureTokenFile(path.join(dir, 'agent-token'));
    ensureTokenFile(path.join(dir, 'alerts-token'));
    toxiproxy = await startToxiproxy({ port: await freePort(), logFile: path.join(dir, 'toxiproxy.log') });
    // Real proxies for the network faults to act on, in front of the test's own database and Redis.
    const shopDatabaseUrl = await createTestDatabase('shop');
    await createToxiproxyClient(toxiproxy.url).populate([
      { name: 'postgres', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(shopDatabaseUrl).port}` },
      { name: 'redis', listen: `127.0.0.1:${await freePort()}`, upstream: `127.0.0.1:${new URL(testRedisUrl()).port}` },
    ]);
    // A Redis of its own for redis-memory-pressure (never the shared test Redis: its maxmemory
    // changes), capped so that a fuzzed fill stops at 32 MB whatever size it asks for.
    redis = await startRedis({ dataDir: path.join(dir, 'redis'), port: await freePort(), logFile: path.join(dir, 'redis.log') });
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory', String(32 * 1024 * 1024));
    admin.disconnect();
    controller = await startController(
      controllerConfigSchema.parse({
        PORT: '0',
        LAB_DATABASE_URL: await createTestDatabase('lab'),
        TOXIPROXY_URL: toxiproxy.url,
        REDIS_ADMIN_URL: redis.url,
        INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
        AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
        ALERTS_TOKEN_FILE: path.join(dir, 'alerts-token'),
      }),
      { logger: createLogger('chaos-fuzz', 'silent') },
    );
  });
  afterAll(async () => {
    await controller?.close();
    await toxiproxy?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when every documented operation gets generated valid and invalid requests, then no 5xx and every answer is as documented', async () => {
    const { exitCode, output } = await runSchemathesis(`${controller.url}/api/openapi.json`, { headers: [`Authorization: Bearer ${instructorToken}`] });
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
  }, 120_000);
});

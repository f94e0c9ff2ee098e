import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '../../src/index.ts';

export type SharedRole = 'instructor' | 'operator' | 'agent';

/**
 * The real training process for an integration test: its own token files, its own lab and shop
 * databases in the suite's Postgres, a queue prefix in the suite's Redis, listening on a free port.
 * `env` adds or overrides settings (PROMETHEUS_URL, CHAOS_URL, …). `restart()` closes it and
 * starts it again on the same databases (what survives a restart is the tests' subject);
 * `close()` stops it and removes the token files.
 */
export async function trainingUnderTest(name: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `training-${name}-`));
  const tokenFile = (role: SharedRole) => path.join(dir, `${role}-token`);
  const tokens: Record<SharedRole, string> = {
    instructor: ensureTokenFile(tokenFile('instructor')),
    operator: ensureTokenFile(tokenFile('operator')),
    agent: ensureTokenFile(tokenFile('agent')),
  };
  const labDatabaseUrl = await createTestDatabase('lab');
  const shopDatabaseUrl = await createTestDatabase('shop');
  const config = trainingConfigSchema.parse({
    PORT: '0',
    LAB_DATABASE_URL: labDatabaseUrl,
    SHOP_ADMIN_DATABASE_URL: shopDatabaseUrl,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: uniqueName(`fd${name}`),
    INSTRUCTOR_TOKEN_FILE: tokenFile('instructor'),
    OPERATOR_TOKEN_FILE: tokenFile('operator'),
    AGENT_TOKEN_FILE: tokenFile('agent'),
    ...env,
  });
  const start = () => startTraining(config, { logger: createLogger('training-test', 'silent') });
  let training: RunningTraining = await start();

  /** A request with one of the shared tokens, answered as status, content type and JSON body. */
  const call = async (method: string, route: string, role: SharedRole, body?: unknown, actor = 'ada') => {
    const response = await fetch(`${training.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[role]}`,
        'x-firedrill-actor': actor,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
  };

  return {
    tokens,
    labDatabaseUrl,
    shopDatabaseUrl,
    get url() {
      return training.url;
    },
    call,
    async restart(): Promise<void> {
      await training.close();
      training = await start();
    },
    async close(): Promise<void> {
      await training.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TrainingUnderTest = Awaited<ReturnType<typeof trainingUnderTest>>;

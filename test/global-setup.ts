import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startPostgres, startRedis } from '@firedrill/lab-infra';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL template of the test Postgres: replace the database name at the end. */
    postgresUrl: string;
    redisUrl: string;
    testStateDir: string;
  }
}

/** Starts throwaway Postgres and Redis instances (real servers, loopback, random ports). */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-test-'));
  // mkdtemp makes it 0700; the cluster's owner (`postgres` when we are root) must traverse it.
  chmodSync(dir, 0o755);
  const [postgres, redis] = await Promise.all([
    startPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort(), logFile: path.join(dir, 'logs', 'postgres.log'), ephemeral: true }),
    startRedis({ dataDir: path.join(dir, 'redis'), port: await freePort(), logFile: path.join(dir, 'logs', 'redis.log') }),
  ]);
  project.provide('postgresUrl', postgres.url('postgres'));
  project.provide('redisUrl', redis.url);
  project.provide('testStateDir', dir);
  return async () => {
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}

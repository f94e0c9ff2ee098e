import { z } from 'zod';
import { env, loadConfig } from '@firedrill/kit';
import { agentConfigShape } from '@firedrill/chaos/agent';

/** Every variable the worker reads, with its default. README's table mirrors this. */
export const workerConfigSchema = z.object({
  ...agentConfigShape,
  HOST: env.string('127.0.0.1'),
  /** Health and metrics port; the worker takes no other HTTP traffic. */
  PORT: env.port(7402),
  LOG_LEVEL: env.logLevel(),
  DATABASE_URL: env.string('postgres://postgres@127.0.0.1:7410/shop'),
  DB_POOL_MAX: env.int(10, 1, 200),
  REDIS_URL: env.string('redis://127.0.0.1:7420'),
  QUEUE_PREFIX: env.string('firedrill'),
  /** Jobs at once: ~50 ms each (pick and pack plus one statement), so 20 keep up with ~300 orders/s. */
  WORKER_CONCURRENCY: env.int(20, 1, 500),
  /** Median time to pick and pack an order (log-normal around it). */
  FULFIL_DURATION_MS: env.number(40, 0, 600_000),
  /** How long a job's lock lasts without renewal; a dead worker's job is recovered after it. */
  JOB_LOCK_MS: env.int(10_000, 1_000, 600_000),
  STALLED_INTERVAL_MS: env.int(5_000, 500, 600_000),
  JOB_ATTEMPTS: env.int(8, 1, 100),
  HEARTBEAT_INTERVAL_MS: env.int(1_000, 100, 60_000),
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export function loadWorkerConfig(source: Record<string, string | undefined> = process.env): Readonly<WorkerConfig> {
  return loadConfig('worker', workerConfigSchema, source);
}

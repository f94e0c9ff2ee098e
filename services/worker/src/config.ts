import { z } from 'zod';
import { databaseSettings, env, loadConfig, serviceSettings } from '@firedrill/kit';
import { queueSettings } from '@firedrill/queue-contract';
import { agentConfigShape } from '@firedrill/chaos/agent';

/** Every variable the worker reads, with its default. README's table mirrors this. */
export const workerConfigSchema = z.object({
  ...agentConfigShape,
  /** PORT serves health and metrics only; the worker takes no other HTTP traffic. */
  ...serviceSettings(7402),
  ...databaseSettings(10),
  ...queueSettings,
  /** Jobs at once: ~50 ms each (pick and pack plus one statement), so 20 keep up with ~300 orders/s. */
  WORKER_CONCURRENCY: env.int(20, 1, 500),
  /** Median time to pick and pack an order (log-normal around it). */
  FULFIL_DURATION_MS: env.number(40, 0, 600_000),
  /** How long a job's lock lasts without renewal; a dead worker's job is recovered after it. */
  JOB_LOCK_MS: env.int(10_000, 1_000, 600_000),
  STALLED_INTERVAL_MS: env.int(5_000, 500, 600_000),
  HEARTBEAT_INTERVAL_MS: env.int(1_000, 100, 60_000),
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export function loadWorkerConfig(source: Record<string, string | undefined> = process.env): Readonly<WorkerConfig> {
  return loadConfig('worker', workerConfigSchema, source);
}

import { z } from 'zod';
import { databaseSettings, env, loadConfig, serviceSettings } from '@firedrill/kit';
import { agentConfigShape } from '@firedrill/chaos/agent';
import { fulfilOrderRetryPolicy, queueSettings } from '@firedrill/queue-contract';

/** Every variable the api reads, with its default. README's configuration table mirrors this. */
export const apiConfigSchema = z.object({
  ...agentConfigShape,
  ...serviceSettings(7400),
  ...databaseSettings(20),
  ...queueSettings,
  PAYMENTS_URL: env.url('http://127.0.0.1:7401'),
  PAYMENTS_TIMEOUT_MS: env.int(2000, 50, 60_000),
  PAYMENTS_ATTEMPTS: env.int(3, 1, 10),
  OUTBOX_POLL_MS: env.int(1000, 50, 60_000),
  /** Tries a fulfilment job gets before it is parked as failed (the producer sets job options). */
  JOB_ATTEMPTS: env.int(fulfilOrderRetryPolicy.attempts, 1, 100),
});

export type ApiConfig = z.output<typeof apiConfigSchema>;

export function loadApiConfig(source: Record<string, string | undefined> = process.env): Readonly<ApiConfig> {
  return loadConfig('api', apiConfigSchema, source);
}

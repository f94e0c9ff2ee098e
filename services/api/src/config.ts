import { z } from 'zod';
import { databaseSettings, env, flagSettings, loadConfig, serviceSettings } from '@firedrill/kit';
import { agentConfigShape } from '@firedrill/chaos/agent';
import { fulfilOrderRetryPolicy, queueSettings } from '@firedrill/queue-contract';
import { maxChargeBackoffMs } from './clients/payments-client.ts';

/** Every variable the api reads, with its default. README's configuration table mirrors this. */
export const apiConfigSchema = z
  .object({
    ...agentConfigShape,
    ...serviceSettings(7400),
    ...databaseSettings(20),
    ...queueSettings,
    ...flagSettings,
    PAYMENTS_URL: env.url('http://127.0.0.1:7401'),
    PAYMENTS_TIMEOUT_MS: env.int(2000, 50, 60_000),
    PAYMENTS_ATTEMPTS: env.int(3, 1, 10),
    /** With the api.payments-circuit-breaker flag on: charge calls failing in a row before the circuit opens. */
    PAYMENTS_BREAKER_FAILURES: env.int(5, 1, 1_000),
    /** How long an open circuit fails charges fast before one probe call is let through (half-open). */
    PAYMENTS_BREAKER_OPEN_MS: env.int(5_000, 100, 600_000),
    OUTBOX_POLL_MS: env.int(1000, 50, 60_000),
    /** Tries a fulfilment job gets before it is parked as failed (the producer sets job options). */
    JOB_ATTEMPTS: env.int(fulfilOrderRetryPolicy.attempts, 1, 100),
    /**
     * How long an order may stay pending after its last charge attempt before the reconciler decides
     * it from the charge's final state in payments. It must outlast a whole charge call (every
     * attempt, timeout and backoff), so that the reconciler never judges a charge still being made.
     */
    RECONCILE_GRACE_MS: env.int(120_000, 1_000, 24 * 3_600_000),
    /** How often the reconciler looks for orders pending past the grace period. */
    RECONCILE_INTERVAL_MS: env.int(15_000, 100, 3_600_000),
  })
  .superRefine((config, ctx) => {
    const budget = chargeBudgetMs(config);
    if (config.RECONCILE_GRACE_MS <= budget) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECONCILE_GRACE_MS'],
        message: `must be longer than a whole charge call (${budget} ms with PAYMENTS_ATTEMPTS and PAYMENTS_TIMEOUT_MS as set)`,
      });
    }
  });

/** The longest a charge call can last: every attempt timing out, with the longest backoff between them. */
export function chargeBudgetMs(config: { PAYMENTS_ATTEMPTS: number; PAYMENTS_TIMEOUT_MS: number }): number {
  return config.PAYMENTS_ATTEMPTS * config.PAYMENTS_TIMEOUT_MS + (config.PAYMENTS_ATTEMPTS - 1) * maxChargeBackoffMs;
}

export type ApiConfig = z.output<typeof apiConfigSchema>;

export function loadApiConfig(source: Record<string, string | undefined> = process.env): Readonly<ApiConfig> {
  return loadConfig('api', apiConfigSchema, source);
}

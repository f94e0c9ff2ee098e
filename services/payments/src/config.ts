import { z } from 'zod';
import { databaseSettings, env, flagSettings, loadConfig, serviceSettings } from '@firedrill/kit';
import { agentConfigShape } from '@firedrill/chaos/agent';

/** Every variable the payments service reads, with its default. README's table mirrors this. */
export const paymentsConfigSchema = z.object({
  ...agentConfigShape,
  ...serviceSettings(7401),
  ...databaseSettings(20),
  ...flagSettings,
  /** Share of ordinary charges the simulated card network declines (0–1). */
  GATEWAY_DECLINE_RATE: env.number(0.03, 0, 1),
  /** Median gateway latency; the distribution is log-normal around it. */
  GATEWAY_LATENCY_MEDIAN_MS: env.number(20, 0, 10_000),
  /** Log-normal spread: 0 gives a constant latency, 0.5 a p99 about 3x the median. */
  GATEWAY_LATENCY_SIGMA: env.number(0.5, 0, 3),
  /**
   * How long a charge waits for the card network before giving up with 502 gateway_error. Below
   * the api's PAYMENTS_TIMEOUT_MS (2000), so the shop hears a clear answer rather than its own timeout.
   */
  GATEWAY_TIMEOUT_MS: env.int(1500, 10, 60_000),
  /** The secondary card gateway (payments.secondary-gateway flag): a second acquirer with its own behaviour. */
  SECONDARY_GATEWAY_DECLINE_RATE: env.number(0.03, 0, 1),
  /** A little slower than the primary, as a fallback acquirer usually is. */
  SECONDARY_GATEWAY_LATENCY_MEDIAN_MS: env.number(35, 0, 10_000),
  SECONDARY_GATEWAY_LATENCY_SIGMA: env.number(0.5, 0, 3),
  /** What the fraud scorer costs per charge while the payments.fraud-check flag is on. */
  FRAUD_CHECK_MS: env.int(500, 0, 30_000),
});

export type PaymentsConfig = z.output<typeof paymentsConfigSchema>;

export function loadPaymentsConfig(source: Record<string, string | undefined> = process.env): Readonly<PaymentsConfig> {
  return loadConfig('payments', paymentsConfigSchema, source);
}

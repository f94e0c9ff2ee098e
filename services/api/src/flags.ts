import { shopFlags } from '@firedrill/conventions';
import type { FlagClient, Logger } from '@firedrill/kit';
import type { PaymentCallSettings } from './clients/payments-client.ts';
import { chargeBudgetMs } from './config.ts';

/**
 * The api's feature flags, read where they act — the order route (degraded mode), the payments
 * client (timeout, retries) and its circuit breaker — never inside the domain. Each read asks the
 * service's OpenFeature client, which answers from memory.
 */
export interface ApiFlags {
  /** api.degraded-mode: checkout answers 503 before anything is stored or charged. */
  checkoutPaused(): Promise<boolean>;
  /** api.payments-circuit-breaker */
  paymentsCircuitBreaker(): Promise<boolean>;
  /** api.payment-timeout-ms and api.payment-retries, or the configured values. */
  paymentCall(): Promise<PaymentCallSettings>;
}

/** What the api accepts from the flags: the limits PAYMENTS_TIMEOUT_MS and PAYMENTS_ATTEMPTS have. */
const limits = { timeoutMs: [50, 60_000], attempts: [1, 10] } as const;

export function apiFlags(client: FlagClient, configured: PaymentCallSettings & { reconcileGraceMs: number }, logger: Logger): ApiFlags {
  let lastRefused: string | undefined;
  const bool = (name: 'api.degraded-mode' | 'api.payments-circuit-breaker') => client.getBooleanValue(name, shopFlags[name].default);
  return {
    checkoutPaused: () => bool('api.degraded-mode'),
    paymentsCircuitBreaker: () => bool('api.payments-circuit-breaker'),
    async paymentCall() {
      const wanted = {
        // Defaults: the configuration, so a flag the lab does not set changes nothing.
        timeoutMs: await client.getNumberValue('api.payment-timeout-ms', configured.timeoutMs),
        attempts: await client.getNumberValue('api.payment-retries', configured.attempts),
      };
      const problem = refusal(wanted, configured.reconcileGraceMs);
      if (!problem) return wanted;
      // Logged once per refused combination, not on every checkout.
      const key = `${wanted.timeoutMs}/${wanted.attempts}`;
      if (key !== lastRefused)
        logger.warn({ flags: wanted, kept: { timeoutMs: configured.timeoutMs, attempts: configured.attempts } }, `payment flags refused: ${problem}`);
      lastRefused = key;
      return { timeoutMs: configured.timeoutMs, attempts: configured.attempts };
    },
  };
}

/**
 * Why flag values cannot be honoured, if they cannot: out of the configuration's limits, or a
 * charge call that would outlast the reconciler's grace period (it would then judge charges still
 * being made).
 */
export function refusal(wanted: PaymentCallSettings, reconcileGraceMs: number): string | undefined {
  for (const key of ['timeoutMs', 'attempts'] as const) {
    const [min, max] = limits[key];
    if (!Number.isInteger(wanted[key]) || wanted[key] < min || wanted[key] > max) return `${key} must be a whole number from ${min} to ${max}`;
  }
  const budget = chargeBudgetMs({ PAYMENTS_ATTEMPTS: wanted.attempts, PAYMENTS_TIMEOUT_MS: wanted.timeoutMs });
  if (budget >= reconcileGraceMs) return `a charge call could last ${budget} ms, not less than RECONCILE_GRACE_MS (${reconcileGraceMs} ms)`;
  return undefined;
}

import { paymentsMetrics } from '@firedrill/conventions';
import { latencyBuckets, registerCounter, registerHistogram, type Registry } from '@firedrill/kit';
import { declineReasons } from './domain/card-gateway.ts';
import type { ChargeOutcomeStatus } from './domain/gateway-window.ts';

/** Reasons a charge ends `failed`; together with the decline reasons, the `reason` label's values. */
export const failureReasons = ['gateway_error', 'gateway_timeout', 'gateway_unreachable'] as const;
export type FailureReason = (typeof failureReasons)[number];

export interface PaymentMetrics {
  /** One gateway outcome: counted by status and reason, its duration observed by status. */
  recordOutcome(status: ChargeOutcomeStatus, reason: string | null, durationMs: number): void;
}

export function createPaymentMetrics(registry: Registry): PaymentMetrics {
  const processed = registerCounter(registry, paymentsMetrics.processed);
  const gatewayDuration = registerHistogram(registry, paymentsMetrics.gatewayDuration, { buckets: latencyBuckets });

  // Every series exists from the start at 0, so rate() and ratio alerts work before the first failure.
  processed.inc({ status: 'approved', reason: 'none' }, 0);
  for (const reason of declineReasons) processed.inc({ status: 'declined', reason }, 0);
  for (const reason of failureReasons) processed.inc({ status: 'failed', reason }, 0);

  return {
    recordOutcome(status, reason, durationMs) {
      processed.inc({ status, reason: reason ?? 'none' });
      gatewayDuration.observe({ status }, durationMs / 1000);
    },
  };
}

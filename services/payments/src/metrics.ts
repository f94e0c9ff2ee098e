import { paymentsMetrics } from '@firedrill/conventions';
import { latencyBuckets, registerCounter, registerHistogram, type Registry } from '@firedrill/kit';
import { declineReasons } from './domain/card-gateway.ts';
import type { ChargeOutcomeStatus } from './domain/gateway-window.ts';
import { gatewayNames, type GatewayName } from './domain/payment-gateways.ts';

/** Reasons a charge ends `failed`; together with the decline reasons, the `reason` label's values. */
export const failureReasons = ['gateway_error', 'gateway_timeout', 'gateway_unreachable'] as const;
export type FailureReason = (typeof failureReasons)[number];

export interface PaymentMetrics {
  /** One gateway outcome: counted by gateway, status and reason, its duration observed by gateway and status. */
  recordOutcome(gateway: GatewayName, status: ChargeOutcomeStatus, reason: string | null, durationMs: number): void;
}

export function createPaymentMetrics(registry: Registry): PaymentMetrics {
  const processed = registerCounter(registry, paymentsMetrics.processed);
  const gatewayDuration = registerHistogram(registry, paymentsMetrics.gatewayDuration, { buckets: latencyBuckets });

  // Every series exists from the start at 0, so rate() and ratio alerts work before the first failure.
  for (const gateway of gatewayNames) {
    processed.inc({ gateway, status: 'approved', reason: 'none' }, 0);
    for (const reason of declineReasons) processed.inc({ gateway, status: 'declined', reason }, 0);
    for (const reason of failureReasons) processed.inc({ gateway, status: 'failed', reason }, 0);
  }

  return {
    recordOutcome(gateway, status, reason, durationMs) {
      processed.inc({ gateway, status, reason: reason ?? 'none' });
      gatewayDuration.observe({ gateway, status }, durationMs / 1000);
    },
  };
}

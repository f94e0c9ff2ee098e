import { latencyBuckets, prom, type Registry } from '@firedrill/kit';
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
  const processed = new prom.Counter({
    name: 'payment_processed_total',
    help: 'Charges the card network settled, by status (approved|declined|failed) and reason (none when approved). Idempotent replays are not counted.',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
  });
  const gatewayDuration = new prom.Histogram({
    name: 'payment_gateway_duration_seconds',
    help: 'Time the card network took to answer a charge (until the timeout when it did not), by status.',
    labelNames: ['status'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });

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

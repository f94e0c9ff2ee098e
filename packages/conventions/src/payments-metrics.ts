import { counter, histogram } from './metric-definition.ts';

/** The payments service's domain metrics: what the card network answered, and how fast. */
export const paymentsMetrics = {
  processed: counter(
    'payment_processed_total',
    'Charges the card network settled, by gateway (primary|secondary), status (approved|declined|failed) and reason (none when approved). Idempotent replays are not counted.',
    ['gateway', 'status', 'reason'],
  ),
  gatewayDuration: histogram(
    'payment_gateway_duration_seconds',
    'Time the card network took to answer a charge (until the timeout when it did not), by gateway and status.',
    ['gateway', 'status'],
  ),
} as const;

import { counter, gauge, histogram } from './metric-definition.ts';

/** The api's domain metrics (its RED metrics per route come from httpMetrics). */
export const apiMetrics = {
  orders: counter('shop_orders_total', 'Order placements by the status the order was left in (pending = payments unavailable).', ['status']),
  orderValueCents: counter('shop_order_value_cents_total', 'Value of paid orders, in cents.', ['currency']),
  paymentAttempts: counter(
    'shop_payment_attempts_total',
    'Calls to the payments service, by outcome (approved, declined, timeout, network_error, http_<status>).',
    ['outcome'],
  ),
  paymentRequestDuration: histogram('shop_payment_request_duration_seconds', 'Duration of each call to the payments service, retries counted separately.', [
    'outcome',
  ]),
  chargeAttempts: histogram(
    'shop_payment_charge_attempts',
    'Calls to the payments service each charge made, retries included (_sum / _count = attempts per charge).',
  ),
  outboxBacklog: gauge('shop_outbox_backlog', 'Outbox rows not yet handed to the fulfilment queue.'),
  outboxOldestAge: gauge('shop_outbox_oldest_age_seconds', 'Age of the oldest outbox row not yet dispatched (0 when the outbox is empty).'),
  outboxDispatched: counter('shop_outbox_dispatched_total', 'Outbox rows handed to the fulfilment queue.'),
  outboxDispatchFailures: counter(
    'shop_outbox_dispatch_failures_total',
    'Failed attempts to hand an outbox row to the fulfilment queue (Redis unreachable, say).',
  ),
  ordersReconciled: counter(
    'shop_orders_reconciled_total',
    'Orders the reconciler looked at after their grace period, by outcome: paid and payment_failed settle the order; ' +
      'charge_processing and payments_unavailable leave it pending for the next pass.',
    ['outcome'],
  ),
  paymentsCircuitState: gauge(
    'shop_payments_circuit_state',
    'The circuit breaker around payments (api.payments-circuit-breaker flag): 1 for its current state (closed, open, half_open), 0 for the others.',
    ['state'],
  ),
  paymentsCircuitRejections: counter(
    'shop_payments_circuit_rejections_total',
    'Charges failed fast by the open circuit breaker, without calling payments (the order is left pending).',
  ),
  // The readiness checks as metrics, run at each scrape through the api's own network path.
  dependencyUp: gauge('shop_dependency_up', 'Whether the api can reach each dependency right now (1) or not (0), checked at scrape time.', ['dependency']),
  dependencyCheckDuration: gauge('shop_dependency_check_seconds', 'How long the last readiness check of each dependency took (successful checks only).', [
    'dependency',
  ]),
} as const;

import { latencyBuckets, prom, type Registry } from '@firedrill/kit';

/**
 * The api's domain metrics (RED per route comes from the kit's middleware). Names are part of
 * the lab's contract: dashboards, alert rules and scenario probes query them.
 */
export function createApiMetrics(registry: Registry) {
  return {
    ordersTotal: new prom.Counter({
      name: 'shop_orders_total',
      help: 'Order placements by the status the order was left in (pending = payments unavailable).',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    orderValueCents: new prom.Counter({
      name: 'shop_order_value_cents_total',
      help: 'Value of paid orders, in cents.',
      labelNames: ['currency'] as const,
      registers: [registry],
    }),
    paymentAttempts: new prom.Counter({
      name: 'shop_payment_attempts_total',
      help: 'Calls to the payments service, by outcome (approved, declined, timeout, network_error, http_<status>).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    paymentDuration: new prom.Histogram({
      name: 'shop_payment_request_duration_seconds',
      help: 'Duration of each call to the payments service, retries counted separately.',
      labelNames: ['outcome'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    outboxBacklog: new prom.Gauge({
      name: 'shop_outbox_backlog',
      help: 'Outbox rows not yet handed to the fulfilment queue.',
      registers: [registry],
    }),
    outboxOldestAge: new prom.Gauge({
      name: 'shop_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet dispatched (0 when the outbox is empty).',
      registers: [registry],
    }),
    outboxDispatched: new prom.Counter({
      name: 'shop_outbox_dispatched_total',
      help: 'Outbox rows handed to the fulfilment queue.',
      registers: [registry],
    }),
    outboxDispatchFailures: new prom.Counter({
      name: 'shop_outbox_dispatch_failures_total',
      help: 'Failed attempts to hand an outbox row to the fulfilment queue (Redis unreachable, say).',
      registers: [registry],
    }),
    ordersReconciled: new prom.Counter({
      name: 'shop_orders_reconciled_total',
      help:
        'Orders the reconciler looked at after their grace period, by outcome: paid and payment_failed settle the order; ' +
        'charge_processing and payments_unavailable leave it pending for the next pass.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

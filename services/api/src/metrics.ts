import { apiMetrics } from '@firedrill/conventions';
import { latencyBuckets, registerCounter, registerGauge, registerHistogram, type Registry } from '@firedrill/kit';

/**
 * The api's domain metrics (RED per route comes from the kit's middleware). Names, help and
 * labels come from the lab's metric registry: dashboards, alert rules and scenario probes query them.
 */
export function createApiMetrics(registry: Registry) {
  return {
    ordersTotal: registerCounter(registry, apiMetrics.orders),
    orderValueCents: registerCounter(registry, apiMetrics.orderValueCents),
    paymentAttempts: registerCounter(registry, apiMetrics.paymentAttempts),
    paymentDuration: registerHistogram(registry, apiMetrics.paymentRequestDuration, { buckets: latencyBuckets }),
    chargeAttempts: registerHistogram(registry, apiMetrics.chargeAttempts, { buckets: [1, 2, 3, 4, 6, 8, 12, 16, 20] }),
    outboxBacklog: registerGauge(registry, apiMetrics.outboxBacklog),
    outboxOldestAge: registerGauge(registry, apiMetrics.outboxOldestAge),
    outboxDispatched: registerCounter(registry, apiMetrics.outboxDispatched),
    outboxDispatchFailures: registerCounter(registry, apiMetrics.outboxDispatchFailures),
    ordersReconciled: registerCounter(registry, apiMetrics.ordersReconciled),
    paymentsCircuitState: registerGauge(registry, apiMetrics.paymentsCircuitState),
    paymentsCircuitRejections: registerCounter(registry, apiMetrics.paymentsCircuitRejections),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

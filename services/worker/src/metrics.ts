import { workerMetrics } from '@firedrill/conventions';
import { latencyBuckets, registerCounter, registerGauge, registerHistogram, type Registry } from '@firedrill/kit';

/** The worker's metrics; names, help and labels come from the lab's metric registry (dashboards, alerts, probes). */
export function createWorkerMetrics(registry: Registry) {
  return {
    jobsProcessed: registerCounter(registry, workerMetrics.jobsProcessed),
    jobsFailed: registerCounter(registry, workerMetrics.jobsFailed),
    jobDuration: registerHistogram(registry, workerMetrics.jobDuration, { buckets: [...latencyBuckets, 30, 60] }),
    orderFulfilment: registerHistogram(registry, workerMetrics.orderFulfilment, {
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    }),
    heartbeat: registerGauge(registry, workerMetrics.heartbeat),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

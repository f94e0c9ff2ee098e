import { latencyBuckets, prom, type Registry } from '@firedrill/kit';

/** The worker's metrics; names are part of the lab's contract (dashboards, alerts, probes). */
export function createWorkerMetrics(registry: Registry) {
  return {
    jobsProcessed: new prom.Counter({
      name: 'worker_jobs_processed_total',
      help: 'Jobs that completed, by job name.',
      labelNames: ['job'] as const,
      registers: [registry],
    }),
    jobsFailed: new prom.Counter({
      name: 'worker_jobs_failed_total',
      help: 'Job attempts that failed, by job name (a retried job counts once per failed attempt).',
      labelNames: ['job'] as const,
      registers: [registry],
    }),
    jobDuration: new prom.Histogram({
      name: 'worker_job_duration_seconds',
      help: 'Time spent processing one job attempt, by job name and outcome.',
      labelNames: ['job', 'outcome'] as const,
      buckets: [...latencyBuckets, 30, 60],
      registers: [registry],
    }),
    orderFulfilment: new prom.Histogram({
      name: 'order_fulfilment_seconds',
      help: 'Time from an order being paid to it being fulfilled.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    heartbeat: new prom.Gauge({
      name: 'worker_heartbeat_timestamp_seconds',
      help: 'Unix time of the last heartbeat from the event loop; a stale value means the worker hangs.',
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

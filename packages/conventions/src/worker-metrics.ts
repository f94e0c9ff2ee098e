import { counter, gauge, histogram } from './metric-definition.ts';

/** The worker's metrics (the queue's own depth comes from BullMQ's export, not from here). */
export const workerMetrics = {
  jobsProcessed: counter('worker_jobs_processed_total', 'Jobs that completed, by job name.', ['job']),
  jobsFailed: counter('worker_jobs_failed_total', 'Job attempts that failed, by job name (a retried job counts once per failed attempt).', ['job']),
  jobDuration: histogram('worker_job_duration_seconds', 'Time spent processing one job attempt, by job name and outcome.', ['job', 'outcome']),
  orderFulfilment: histogram('order_fulfilment_seconds', 'Time from an order being paid to it being fulfilled.'),
  heartbeat: gauge('worker_heartbeat_timestamp_seconds', 'Unix time of the last heartbeat from the event loop; a stale value means the worker hangs.'),
} as const;

import { apiMetrics, workerMetrics } from '@firedrill/conventions';
import { stat, timeseries, type DashboardSpec } from '../panels.ts';
import { buckets, quantiles, rate, sumRate } from '../promql.ts';

const queue = 'queue="fulfilment"';

/** The fulfilment pipeline: outbox → BullMQ queue → worker → fulfilled order. */
export const queueWorker: DashboardSpec = {
  uid: 'firedrill-queue-worker',
  title: 'Queue and worker',
  description:
    "The fulfilment pipeline: the api's outbox, the BullMQ queue by state, worker throughput, job duration, order fulfilment time and the worker's heartbeat.",
  tags: ['firedrill', 'shop', 'queue'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  rows: [
    {
      row: 'At a glance',
      panels: [
        stat({
          title: 'Backlog',
          description: 'Jobs waiting or delayed (retry back-off) in the fulfilment queue.',
          queries: [{ expr: `sum(max by (state) (bullmq_job_count{${queue}, state=~"waiting|delayed|prioritized"}))` }],
          unit: 'short',
          thresholds: [
            [100, 'orange'],
            [1000, 'red'],
          ],
        }),
        stat({
          title: 'Heartbeat age',
          description: "Seconds since the worker's event loop last beat; it grows while the worker hangs, even if the process is alive.",
          queries: [{ expr: `time() - max(${workerMetrics.heartbeat.name})` }],
          unit: 's',
          thresholds: [
            [10, 'orange'],
            [30, 'red'],
          ],
        }),
        stat({
          title: 'Outbox backlog',
          description: 'Paid orders not yet handed to the queue (grows while Redis is unreachable).',
          queries: [{ expr: `max(${apiMetrics.outboxBacklog.name})` }],
          unit: 'short',
          thresholds: [
            [50, 'orange'],
            [500, 'red'],
          ],
        }),
        stat({
          title: 'Fulfilment p95',
          description: 'From payment to fulfilment, 95th percentile.',
          queries: [{ expr: `histogram_quantile(0.95, ${sumRate(buckets(workerMetrics.orderFulfilment), ['le'])})` }],
          unit: 's',
          thresholds: [
            [30, 'orange'],
            [120, 'red'],
          ],
        }),
      ],
    },
    {
      row: 'Queue',
      panels: [
        timeseries({
          title: 'Jobs by state',
          description:
            'The fulfilment queue by BullMQ state (exported by the api and the worker; max merges them, and keeps the depth visible while the worker is down).',
          queries: [{ expr: `max by (state) (bullmq_job_count{${queue}})`, legend: '{{state}}' }],
          unit: 'short',
          min: 0,
        }),
        timeseries({
          title: 'Completed and failed jobs (queue)',
          description: "Jobs the queue saw complete or fail for good, per second (BullMQ's own counters).",
          queries: [
            { expr: `sum(${rate('bullmq_job_completed_total', queue)})`, legend: 'completed' },
            { expr: `sum(${rate('bullmq_job_failed_total', queue)})`, legend: 'failed' },
          ],
          unit: 'ops',
          min: 0,
        }),
      ],
    },
    {
      row: 'Worker',
      panels: [
        timeseries({
          title: 'Processed and failed attempts',
          description: 'Job attempts per second; a failed attempt is retried with back-off until attempts run out.',
          queries: [
            { expr: `sum(${rate(workerMetrics.jobsProcessed)})`, legend: 'processed' },
            { expr: `sum(${rate(workerMetrics.jobsFailed)}) or vector(0)`, legend: 'failed' },
          ],
          unit: 'ops',
          min: 0,
        }),
        timeseries({
          title: 'Job duration',
          description: 'Time spent processing one job attempt.',
          queries: quantiles(workerMetrics.jobDuration, []),
          unit: 's',
          min: 0,
        }),
        timeseries({
          title: 'Order fulfilment time',
          description: 'From the order being paid to it being fulfilled: outbox, queue wait and processing together.',
          queries: quantiles(workerMetrics.orderFulfilment, []),
          unit: 's',
          min: 0,
        }),
        timeseries({
          title: 'Heartbeat age',
          description: "Seconds since the worker's last heartbeat.",
          queries: [{ expr: `time() - max by (service) (${workerMetrics.heartbeat.name})`, legend: '{{service}}' }],
          unit: 's',
          min: 0,
        }),
      ],
    },
    {
      row: 'Outbox (api)',
      panels: [
        timeseries({
          title: 'Outbox backlog and oldest row',
          description: 'Rows waiting to be handed to the queue, and how old the oldest is.',
          queries: [
            { expr: `max(${apiMetrics.outboxBacklog.name})`, legend: 'rows' },
            { expr: `max(${apiMetrics.outboxOldestAge.name})`, legend: 'oldest (s)' },
          ],
          unit: 'short',
          min: 0,
        }),
        timeseries({
          title: 'Outbox dispatches and failures',
          description: 'Rows handed to the queue per second, and failed attempts (Redis unreachable).',
          queries: [
            { expr: `sum(${rate(apiMetrics.outboxDispatched)})`, legend: 'dispatched' },
            { expr: `sum(${rate(apiMetrics.outboxDispatchFailures)})`, legend: 'failures' },
          ],
          unit: 'ops',
          min: 0,
        }),
      ],
    },
  ],
};

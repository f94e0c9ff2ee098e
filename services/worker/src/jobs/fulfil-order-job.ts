import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import { logNormal, preparedStatement, type Logger, type Pool } from '@firedrill/kit';
import { fulfilOrderJobDataSchema, type FulfilOrderJobData } from '@firedrill/queue-contract';
import type { WorkerMetrics } from '../metrics.ts';

export interface FulfilOrderDeps {
  pool: Pool;
  /** Median pick-and-pack time; actual times are log-normal around it, like real warehouse work. */
  medianDurationMs: number;
  metrics: WorkerMetrics;
  logger: Logger;
  random?: () => number;
}

export type FulfilOrderResult = 'fulfilled' | 'already_fulfilled';

const markFulfilledSql = preparedStatement(
  'orders.mark-fulfilled',
  `UPDATE shop.orders SET status = 'fulfilled', fulfilled_at = now(), updated_at = now()
   WHERE id = $1 AND status = 'paid'
   RETURNING EXTRACT(EPOCH FROM fulfilled_at - paid_at)::float8 AS seconds_since_paid`,
);
const orderStatusSql = preparedStatement('orders.status', 'SELECT status FROM shop.orders WHERE id = $1');

/**
 * Fulfils one paid order. Safe to run more than once for the same order (a job retried after a
 * crash, a duplicate dispatch): only the `paid → fulfilled` transition writes anything.
 */
export function createFulfilOrderProcessor(deps: FulfilOrderDeps) {
  return async (job: Job<FulfilOrderJobData>): Promise<FulfilOrderResult> => {
    const parsed = fulfilOrderJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid job data: ${JSON.stringify(job.data)}`);
    const { orderId } = parsed.data;

    await sleep(pickAndPackMs(deps.medianDurationMs, deps.random));

    const { rows } = await deps.pool.query<{ seconds_since_paid: number }>(markFulfilledSql([orderId]));
    if (rows[0]) {
      deps.metrics.orderFulfilment.observe(rows[0].seconds_since_paid);
      deps.logger.info({ orderId, jobId: job.id, attempt: job.attemptsMade + 1 }, 'order fulfilled');
      return 'fulfilled';
    }

    const current = await deps.pool.query<{ status: string }>(orderStatusSql([orderId]));
    const status = current.rows[0]?.status;
    if (status === 'fulfilled') {
      deps.logger.info({ orderId, jobId: job.id }, 'order already fulfilled; nothing to do');
      return 'already_fulfilled';
    }
    // Only paid orders are ever enqueued, so anything else is a bug no retry will fix.
    throw new UnrecoverableError(status ? `order ${orderId} is ${status}, not paid` : `order ${orderId} does not exist`);
  };
}

/** Log-normal around the median (sigma 0.4: most orders near it, a few several times slower). */
export function pickAndPackMs(medianMs: number, random: () => number = Math.random): number {
  if (medianMs <= 0) return 0;
  return Math.round(logNormal(medianMs, 0.4, random));
}

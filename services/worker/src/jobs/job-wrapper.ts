import type { Job } from 'bullmq';
import type { Logger } from '@firedrill/kit';
import type { WorkerMetrics } from '../metrics.ts';

export type JobProcessor<Data, Result> = (job: Job<Data>) => Promise<Result>;

/**
 * Every job runs through here: timing, outcome counters, one log line per failure. This is also
 * the one place where process-level faults (a worker that exits, hangs, crash-loops on a job or
 * slows down) will hook in, so that domain code in jobs/ stays free of them.
 */
export function wrapJob<Data, Result>(processor: JobProcessor<Data, Result>, deps: { metrics: WorkerMetrics; logger: Logger }): JobProcessor<Data, Result> {
  return async (job) => {
    const end = deps.metrics.jobDuration.startTimer({ job: job.name });
    try {
      const result = await processor(job);
      deps.metrics.jobsProcessed.inc({ job: job.name });
      end({ outcome: 'completed' });
      return result;
    } catch (err) {
      deps.metrics.jobsFailed.inc({ job: job.name });
      end({ outcome: 'failed' });
      const attempt = job.attemptsMade + 1;
      deps.logger.warn({ err, jobId: job.id, job: job.name, attempt, attempts: job.opts.attempts ?? 1 }, 'job attempt failed');
      throw err;
    }
  };
}

import { runService } from '@firedrill/kit';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './start.ts';

await runService({
  name: 'worker',
  loadConfig: loadWorkerConfig,
  start: startWorker,
  // Active jobs get time to finish; past the deadline their locks expire and another worker
  // picks them up, so exiting anyway loses nothing.
  shutdownDeadlineMs: (config) => config.JOB_LOCK_MS,
});

import { createLogger, exitOnSignals } from '@firedrill/kit';
import { loadWorkerConfig } from './config.ts';
import { startWorker } from './start.ts';

const config = loadWorkerConfig();
const logger = createLogger('worker', config.LOG_LEVEL);
try {
  const worker = await startWorker(config, { logger });
  // Active jobs get time to finish; past the deadline their locks expire and another worker
  // picks them up, so exiting anyway loses nothing.
  exitOnSignals(worker.close, logger, config.JOB_LOCK_MS);
} catch (err) {
  logger.fatal({ err }, 'worker failed to start');
  process.exit(1);
}

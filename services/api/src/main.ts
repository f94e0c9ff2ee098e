import { createLogger, exitOnSignals } from '@firedrill/kit';
import { loadApiConfig } from './config.ts';
import { startApi } from './start.ts';

const config = loadApiConfig();
const logger = createLogger('api', config.LOG_LEVEL);
try {
  const api = await startApi(config, { logger });
  exitOnSignals(api.close, logger);
} catch (err) {
  logger.fatal({ err }, 'api failed to start');
  process.exit(1);
}

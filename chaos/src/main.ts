import { createLogger, exitOnSignals } from '@firedrill/kit';
import { loadControllerConfig } from './controller/config.ts';
import { startController } from './controller/start.ts';

const config = loadControllerConfig();
const logger = createLogger('chaos', config.LOG_LEVEL);
const controller = await startController(config, { logger });
exitOnSignals(controller.close, logger);

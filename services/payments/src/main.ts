import { createLogger, exitOnSignals } from '@firedrill/kit';
import { loadPaymentsConfig } from './config.ts';
import { startPayments } from './start.ts';

const config = loadPaymentsConfig();
const logger = createLogger('payments', config.LOG_LEVEL);
const payments = await startPayments(config, { logger });
exitOnSignals(payments.close, logger);

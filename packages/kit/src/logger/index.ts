export { createLogger, type LogIdentity, type Logger } from './create-logger.ts';
export { OutageLog } from './outage-log.ts';

import { ConfigError } from '../config/load-config.ts';
import { exitOnSignals } from '../http/graceful-shutdown.ts';
import { createLogger, type Logger } from '../logger/index.ts';

export interface ServiceEntry<C extends { LOG_LEVEL: string; SERVICE_VERSION?: string }> {
  name: string;
  loadConfig: () => Readonly<C>;
  start: (config: Readonly<C>, options: { logger: Logger }) => Promise<{ close: () => Promise<void> }>;
  /** How long a shutdown may take before the process exits anyway (default 10 s). */
  shutdownDeadlineMs?: (config: Readonly<C>) => number;
}

/**
 * Every service's main: config → logger → start → close on SIGTERM/SIGINT. A start that fails
 * (bad configuration, a dependency that refuses us) is one fatal log line and exit code 1, so the
 * supervisor's log says why, and the supervisor restarts it with backoff.
 */
export async function runService<C extends { LOG_LEVEL: string; SERVICE_VERSION?: string }>(entry: ServiceEntry<C>): Promise<void> {
  let config: Readonly<C>;
  try {
    config = entry.loadConfig();
  } catch (err) {
    // To stderr: this is what someone starting the service by hand must see (the lab's
    // supervisor writes stderr to the same log file).
    const logger = createLogger(entry.name, 'info', process.stderr);
    if (err instanceof ConfigError) logger.fatal({ issues: err.issues }, `${entry.name} has an invalid configuration`);
    else logger.fatal({ err }, `${entry.name} could not read its configuration`);
    process.exit(1);
  }
  const logger = createLogger(config.SERVICE_VERSION ? { service: entry.name, version: config.SERVICE_VERSION } : entry.name, config.LOG_LEVEL);
  try {
    const running = await entry.start(config, { logger });
    exitOnSignals(running.close, logger, entry.shutdownDeadlineMs?.(config));
  } catch (err) {
    logger.fatal({ err }, `${entry.name} failed to start`);
    process.exit(1);
  }
}

import type { Logger } from '../logger/index.ts';
import { shutdownTelemetry } from '../telemetry/lifecycle.ts';

/**
 * SIGTERM/SIGINT → close everything, then exit. A hard deadline guarantees the process ends even
 * if a close hangs (a black-holed database connection, say).
 */
export function exitOnSignals(close: () => Promise<void>, logger: Logger, deadlineMs = 10_000): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; exiting anyway');
      process.exit(1);
    }, deadlineMs).unref();
    // The buffered spans of the last moments go out before the exit (a no-op with tracing off).
    close()
      .finally(() => shutdownTelemetry().catch(() => {}))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

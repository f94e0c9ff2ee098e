import type { Logger } from '../logger/index.ts';
import { shutdownTelemetry } from '../telemetry/lifecycle.ts';

export type CloseStep = { name: string; close: () => Promise<unknown> };

/**
 * Runs every close step in order, even when one fails, and reports which failed. Repeated calls
 * share one run, so a second SIGTERM does not start a second shutdown.
 */
export function closer(steps: CloseStep[], logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= (async () => {
      for (const step of steps) {
        try {
          await step.close();
        } catch (err) {
          logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
    })();
    return running;
  };
}

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

/**
 * The small part of telemetry every process may touch, without loading the OpenTelemetry SDK:
 * whether it is switched off, and flushing it on shutdown.
 */

let flush: (() => Promise<void>) | undefined;

/** OTEL_SDK_DISABLED=true (the standard switch) turns tracing off entirely. */
export function telemetryDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

/** Called by the SDK bootstrap with its shutdown. */
export function onTelemetryShutdown(fn: () => Promise<void>): void {
  flush = fn;
}

/**
 * Exports the spans still buffered and stops the SDK; a no-op when tracing is off. Part of a
 * graceful shutdown: without it, the last seconds of traces before an exit would be lost.
 */
export async function shutdownTelemetry(): Promise<void> {
  const stop = flush;
  flush = undefined;
  await stop?.();
}

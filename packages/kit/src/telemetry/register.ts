/**
 * Loaded before the service with `node --import @firedrill/kit/telemetry`, so instrumentation is
 * in place before express, pg, ioredis and pino are imported. Configured only by the standard
 * OTEL_* variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_TRACES_EXPORTER, …). With OTEL_SDK_DISABLED=true it does nothing at all: no SDK, no loader
 * hook, not even the SDK's modules are loaded.
 */
import { register } from 'node:module';
import { telemetryDisabled } from './lifecycle.ts';

if (!telemetryDisabled()) {
  // Loaded before the hook below, so the SDK's own modules are not run through it.
  const { startTelemetry } = await import('./start-telemetry.ts');
  // The services are ES modules: `import express from 'express'` never passes through require(),
  // so the require hooks the instrumentations install would not see it. This loader hook
  // (import-in-the-middle, as shipped by @opentelemetry/instrumentation) lets them patch
  // modules loaded by `import` too. It must be registered before the service's first import.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  startTelemetry();
}

/**
 * Loaded before the service with `node --import @firedrill/kit/telemetry`, so instrumentation is
 * in place before express, pg, ioredis and pino are imported. Configured only by the standard
 * OTEL_* variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_TRACES_EXPORTER, … — see start-telemetry.ts). With OTEL_SDK_DISABLED=true it does nothing
 * at all: no SDK, no loader hook, not even the SDK's modules are loaded.
 */
import module from 'node:module';
import { telemetryDisabled } from './lifecycle.ts';

if (!telemetryDisabled()) {
  // Started before the hook below, so the SDK's own modules are not run through it.
  const { startTelemetry } = await import('./start-telemetry.ts');
  const { instrumentedModules } = await startTelemetry();
  // The services are ES modules: `import express from 'express'` never passes through require(),
  // so the require hooks the instrumentations install miss it (without a loader hook, express's
  // and ioredis's spans are gone; pg's survive, its patched files being require()d inside pg).
  // import-in-the-middle's loader hook lets them patch modules loaded by `import` too. Its
  // synchronous form (module.registerHooks, Node ≥ 24.11.1) runs in this thread: the
  // asynchronous `module.register` form ran on a loader thread with a V8 isolate of its own,
  // ~35 MB per service. And it intercepts only the modules an instrumentation patches, rather
  // than wrapping every module the service loads (another ~18 MB). Same spans either way
  // (checked span by span on a checkout; test/tracing). Registered before the service's first import.
  const { register, supportsSyncHooks } = await import('import-in-the-middle/register-hooks.mjs');
  if (supportsSyncHooks()) register({ include: instrumentedModules });
  // An older Node 24 (engines allow it) has registerHooks without the fix the in-thread hook needs.
  else module.register('import-in-the-middle/hook.mjs', import.meta.url, { data: { include: instrumentedModules } });
}

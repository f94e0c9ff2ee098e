/**
 * Loaded before the service with `node --import @firedrill/kit/telemetry`, so instrumentation is
 * in place before express, pg and ioredis are imported. Configured only by the standard OTEL_*
 * variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER, …);
 * with OTEL_SDK_DISABLED=true it does nothing.
 */
import { startTelemetry } from './start-telemetry.ts';

await startTelemetry();

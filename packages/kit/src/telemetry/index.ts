export { captureTraceContext, inSpan, outsideTrace, type SpanOptions, type TraceCarrier } from './trace-context.ts';
export { shutdownTelemetry, telemetryDisabled } from './lifecycle.ts';

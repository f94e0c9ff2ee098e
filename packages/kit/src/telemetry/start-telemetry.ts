import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { onTelemetryShutdown } from './lifecycle.ts';

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK with automatic instrumentation. Everything is read from the
 * standard OTEL_* variables; the defaults below only differ from the SDK's where the shop already
 * has a better channel:
 * - metrics: prom-client serves /metrics, so no OTLP metrics unless OTEL_METRICS_EXPORTER asks;
 * - logs: pino writes JSON lines (with trace_id and span_id) to stdout, so no OTLP logs unless
 *   OTEL_LOGS_EXPORTER asks.
 * Database and Redis calls only become spans inside a trace: the outbox relay's and the BullMQ
 * worker's polling would otherwise bury the interesting traces under thousands of one-span ones.
 */
export function startTelemetry(): void {
  if (sdk) return;
  const env = process.env;
  const logsWanted = env.OTEL_LOGS_EXPORTER !== undefined && env.OTEL_LOGS_EXPORTER !== 'none';
  sdk = new NodeSDK({
    ...(env.OTEL_METRICS_EXPORTER === undefined ? { metricReaders: [] } : {}),
    ...(env.OTEL_LOGS_EXPORTER === undefined ? { logRecordProcessors: [] } : {}),
    instrumentations: [
      getNodeAutoInstrumentations({
        // File-system, DNS and raw socket spans are noise in a shop's traces.
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
        '@opentelemetry/instrumentation-http': {
          // Scrapes and probes every few seconds are not what anyone opens a trace for.
          ignoreIncomingRequestHook: (req) => isProbe(req.url),
          requireParentforOutgoingSpans: true,
        },
        // fetch(): payments calls inside a checkout are traced (and carry traceparent onwards);
        // the readiness checks and the chaos agent's polling outside any request are not.
        '@opentelemetry/instrumentation-undici': { requireParentforSpans: true },
        // Express 5 routes through the `router` package, which the express instrumentation
        // already covers: the router one would add a duplicate "middleware - patched" span per layer.
        '@opentelemetry/instrumentation-router': { enabled: false },
        // Spans cost CPU (bench:detect: ~0.1–0.2 ms each on the lab machine), so only those that
        // tell something: the request-handler span. One per middleware layer (metrics, faults,
        // body parser…) and the router's, which express ends the moment it starts, do not.
        // The instrumentation still names the server span after the route.
        '@opentelemetry/instrumentation-express': { ignoreLayersType: ['middleware' as never, 'router' as never] },
        // Queries, not pool check-outs: a connect span per query doubled the pg spans.
        '@opentelemetry/instrumentation-pg': { requireParentSpan: true, ignoreConnectSpans: true },
        '@opentelemetry/instrumentation-ioredis': { requireParentSpan: true },
        // Adds trace_id, span_id and trace_flags to every log line written inside a span.
        '@opentelemetry/instrumentation-pino': { disableLogSending: !logsWanted },
      }),
    ],
  });
  sdk.start();
  onTelemetryShutdown(stopTelemetry);
}

export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}

function isProbe(url: string | undefined): boolean {
  const path = url?.split('?')[0] ?? '';
  return path === '/metrics' || path.includes('/health/');
}

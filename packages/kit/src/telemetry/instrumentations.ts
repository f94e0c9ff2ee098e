import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';

/**
 * The libraries the shop's traces are made of, and nothing else: auto-instrumentations-node
 * loaded some forty instrumentation packages (and their dependencies) into every service for
 * the six the shop uses, ~25 MB of each process's memory.
 *
 * Database and Redis calls only become spans inside a trace: the outbox relay's and the BullMQ
 * worker's polling would otherwise bury the interesting traces under thousands of one-span ones.
 */
export function shopInstrumentations(options: { logsWanted: boolean }): InstrumentationBase[] {
  return [
    new HttpInstrumentation({
      // Scrapes and probes every few seconds are not what anyone opens a trace for.
      ignoreIncomingRequestHook: (req) => isProbe(req.url),
      requireParentforOutgoingSpans: true,
    }),
    // fetch() inside a request is traced (and carries traceparent onwards); the flag provider's
    // and the chaos agent's polling outside any request are not. (The api calls payments with
    // http.request, which the http instrumentation above traces.)
    new UndiciInstrumentation({ requireParentforSpans: true }),
    // Spans cost CPU (bench:detect: ~0.1–0.2 ms each on the lab machine), so only those that
    // tell something: the request-handler span. One per middleware layer (metrics, faults,
    // body parser…) and the router's, which express ends the moment it starts, do not. The
    // instrumentation still names the server span after the route. (Express 5 routes through
    // the `router` package, which this instrumentation covers: the router instrumentation is not
    // loaded, it would add a duplicate "middleware - patched" span per layer.)
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
    // Queries, not pool check-outs: a connect span per query doubled the pg spans.
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    // Adds trace_id, span_id and trace_flags to every log line written inside a span.
    new PinoInstrumentation({ disableLogSending: !options.logsWanted }),
  ];
}

function isProbe(url: string | undefined): boolean {
  const path = url?.split('?')[0] ?? '';
  return path === '/metrics' || path.includes('/health/');
}

import type { Attributes } from '@opentelemetry/api';
import { telemetryDisabled } from './lifecycle.ts';

/**
 * The OpenTelemetry API, unless tracing is off: then not even loaded (its hundred modules are
 * ~3 MB of each shop process, decision 0015), and the functions below do the work alone.
 */
const otel = telemetryDisabled() ? undefined : await import('@opentelemetry/api');

/**
 * W3C trace context (`traceparent`, `tracestate`) as plain strings, to travel where HTTP headers
 * cannot: in an outbox row, in a job's data. Empty when tracing is off.
 */
export type TraceCarrier = Record<string, string>;

const tracer = otel?.trace.getTracer('@firedrill/kit');

/** The trace context of the code running now (a request, a job), ready to be stored. */
export function captureTraceContext(): TraceCarrier {
  const carrier: TraceCarrier = {};
  otel?.propagation.inject(otel.context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` outside any trace, for background work that a request merely triggers (a timer it
 * arms): otherwise that work, and everything it does later, would be filed under the request.
 */
export function outsideTrace<T>(work: () => T): T {
  return otel ? otel.context.with(otel.ROOT_CONTEXT, work) : work();
}

export interface SpanOptions {
  name: string;
  kind: 'producer' | 'consumer' | 'internal';
  /**
   * The context this work continues, as captured earlier (possibly by another process). Without
   * one the span is a child of whatever is active, or starts a trace of its own.
   */
  parent?: unknown;
  attributes?: Attributes;
}

/**
 * Runs `work` in a new span, so that everything it does (queries, Redis calls, log lines) belongs
 * to that span; `work` receives the span's own context to pass further down the line. A thrown
 * error marks the span failed and is rethrown. With tracing off this costs next to nothing.
 */
export async function inSpan<T>(options: SpanOptions, work: (carrier: TraceCarrier) => Promise<T>): Promise<T> {
  if (!otel || !tracer) return work({});
  const { context, propagation, SpanKind, SpanStatusCode, trace } = otel;
  const kinds = { producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER, internal: SpanKind.INTERNAL } as const;
  const parent = toCarrier(options.parent);
  const parentContext = parent ? propagation.extract(context.active(), parent) : context.active();
  const span = tracer.startSpan(options.name, { kind: kinds[options.kind], attributes: options.attributes }, parentContext);
  const spanContext = trace.setSpan(parentContext, span);
  try {
    return await context.with(spanContext, () => {
      const carrier: TraceCarrier = {};
      propagation.inject(spanContext, carrier);
      return work(carrier);
    });
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

/** Job data and database rows are not to be trusted blindly: keep string fields only. */
function toCarrier(value: unknown): TraceCarrier | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const carrier: TraceCarrier = {};
  for (const [key, field] of Object.entries(value)) if (typeof field === 'string') carrier[key] = field;
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

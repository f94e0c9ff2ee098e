import { describe, expect, it } from 'vitest';
import { readTraceSettings } from './trace-settings.ts';

describe('readTraceSettings', () => {
  it('when nothing is set, then one OTLP exporter over http/protobuf, the default sampler, W3C propagation, no metrics or logs', () => {
    expect(readTraceSettings({})).toEqual({
      exporters: ['otlp-http-protobuf'],
      sampler: undefined,
      batch: {},
      propagators: ['tracecontext', 'baggage'],
      metricsWanted: false,
      logsWanted: false,
      warnings: [],
    });
  });

  it('when the protocol is set, then the exporter follows it, the traces-specific variable first', () => {
    expect(readTraceSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).exporters).toEqual(['otlp-http-json']);
    expect(readTraceSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).exporters).toEqual(['otlp-grpc']);
    expect(readTraceSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }).exporters).toEqual(['otlp-http-json']);
  });

  it('when an unknown protocol is set, then http/protobuf with a warning', () => {
    const settings = readTraceSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' });
    expect(settings.exporters).toEqual(['otlp-http-protobuf']);
    expect(settings.warnings).toEqual(['OTLP traces protocol "carrier-pigeon" is not supported; using http/protobuf']);
  });

  it('when OTEL_TRACES_EXPORTER lists exporters, then each once; none wins over the others; unknown ones are warned about', () => {
    expect(readTraceSettings({ OTEL_TRACES_EXPORTER: 'console, otlp,console' }).exporters).toEqual(['console', 'otlp-http-protobuf']);
    expect(readTraceSettings({ OTEL_TRACES_EXPORTER: 'otlp,none' }).exporters).toEqual([]);
    const zipkin = readTraceSettings({ OTEL_TRACES_EXPORTER: 'zipkin' });
    expect(zipkin.exporters).toEqual([]);
    expect(zipkin.warnings).toHaveLength(1);
  });

  it('when a sampler is named, then it is taken with its ratio; a bad ratio is 1 with a warning', () => {
    expect(readTraceSettings({ OTEL_TRACES_SAMPLER: 'always_off' }).sampler).toEqual({ name: 'always_off' });
    expect(readTraceSettings({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).sampler).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0.1,
    });
    const bad = readTraceSettings({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '3' });
    expect(bad.sampler).toEqual({ name: 'traceidratio', ratio: 1 });
    expect(bad.warnings).toHaveLength(1);
    expect(readTraceSettings({ OTEL_TRACES_SAMPLER: 'sometimes' }).sampler).toBeUndefined();
  });

  it('when OTEL_BSP_* are set, then positive numbers are taken and others warned about', () => {
    const settings = readTraceSettings({ OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: '0', OTEL_BSP_EXPORT_TIMEOUT: 'soon' });
    expect(settings.batch).toEqual({ scheduledDelayMillis: 200, maxQueueSize: undefined, exportTimeoutMillis: undefined, maxExportBatchSize: undefined });
    expect(settings.warnings).toHaveLength(2);
  });

  it('when OTEL_PROPAGATORS is set, then only W3C trace context and baggage are offered; none turns propagation off', () => {
    expect(readTraceSettings({ OTEL_PROPAGATORS: 'tracecontext' }).propagators).toEqual(['tracecontext']);
    expect(readTraceSettings({ OTEL_PROPAGATORS: 'none' }).propagators).toEqual([]);
    const b3 = readTraceSettings({ OTEL_PROPAGATORS: 'b3,tracecontext' });
    expect(b3.propagators).toEqual(['tracecontext']);
    expect(b3.warnings).toHaveLength(1);
  });

  it('when metrics or logs exporters are named, then they are wanted; none or unset is not', () => {
    expect(readTraceSettings({ OTEL_METRICS_EXPORTER: 'otlp' }).metricsWanted).toBe(true);
    expect(readTraceSettings({ OTEL_METRICS_EXPORTER: 'none' }).metricsWanted).toBe(false);
    expect(readTraceSettings({ OTEL_LOGS_EXPORTER: 'console' }).logsWanted).toBe(true);
    expect(readTraceSettings({ OTEL_LOGS_EXPORTER: ' ' }).logsWanted).toBe(false);
  });
});

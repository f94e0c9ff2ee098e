/**
 * What the standard OTEL_* variables ask of tracing, read without loading any of the SDK: the
 * start-up loads only the exporter (and the metrics or logs SDK) that is asked for. The names and
 * defaults are the specification's (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables),
 * as NodeSDK read them before.
 */

export type TraceExporterName = 'otlp-http-protobuf' | 'otlp-http-json' | 'otlp-grpc' | 'console';

export type SamplerSetting =
  | { name: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { name: 'traceidratio' | 'parentbased_traceidratio'; ratio: number };

export interface BatchSettings {
  maxQueueSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxExportBatchSize?: number;
}

export interface TraceSettings {
  /** Empty: no spans are exported (OTEL_TRACES_EXPORTER=none), so no tracer provider at all. */
  exporters: TraceExporterName[];
  /** Undefined: the SDK's default, parent-based always-on. */
  sampler: SamplerSetting | undefined;
  batch: BatchSettings;
  /** W3C trace context and baggage unless OTEL_PROPAGATORS narrows them (`none`: neither). */
  propagators: ('tracecontext' | 'baggage')[];
  /** OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER name an exporter (not unset, not `none`). */
  metricsWanted: boolean;
  logsWanted: boolean;
  /** Values that were not understood, to warn about once (the SDK did the same through diag). */
  warnings: string[];
}

const samplerNames = ['always_on', 'always_off', 'parentbased_always_on', 'parentbased_always_off', 'traceidratio', 'parentbased_traceidratio'] as const;

export function readTraceSettings(env: NodeJS.ProcessEnv = process.env): TraceSettings {
  const warnings: string[] = [];
  return {
    exporters: traceExporters(env, warnings),
    sampler: sampler(env, warnings),
    batch: {
      maxQueueSize: positiveNumber(env, 'OTEL_BSP_MAX_QUEUE_SIZE', warnings),
      scheduledDelayMillis: positiveNumber(env, 'OTEL_BSP_SCHEDULE_DELAY', warnings),
      exportTimeoutMillis: positiveNumber(env, 'OTEL_BSP_EXPORT_TIMEOUT', warnings),
      maxExportBatchSize: positiveNumber(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', warnings),
    },
    propagators: propagators(env, warnings),
    metricsWanted: exporterWanted(env.OTEL_METRICS_EXPORTER),
    logsWanted: exporterWanted(env.OTEL_LOGS_EXPORTER),
    warnings,
  };
}

function list(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

function exporterWanted(value: string | undefined): boolean {
  const names = list(value);
  return names.length > 0 && !names.includes('none');
}

function traceExporters(env: NodeJS.ProcessEnv, warnings: string[]): TraceExporterName[] {
  const names = list(env.OTEL_TRACES_EXPORTER);
  if (names.includes('none')) return [];
  const exporters: TraceExporterName[] = [];
  for (const name of names.length > 0 ? names : ['otlp']) {
    if (name === 'console') exporters.push('console');
    else if (name === 'otlp') exporters.push(otlpExporter(env, warnings));
    else warnings.push(`OTEL_TRACES_EXPORTER "${name}" is not supported (otlp, console, none); ignored`);
  }
  return exporters;
}

function otlpExporter(env: NodeJS.ProcessEnv, warnings: string[]): TraceExporterName {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
  if (protocol === 'http/json') return 'otlp-http-json';
  if (protocol === 'grpc') return 'otlp-grpc';
  if (protocol !== 'http/protobuf') warnings.push(`OTLP traces protocol "${protocol}" is not supported; using http/protobuf`);
  return 'otlp-http-protobuf';
}

function sampler(env: NodeJS.ProcessEnv, warnings: string[]): SamplerSetting | undefined {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!name) return undefined;
  const known = samplerNames.find((n) => n === name);
  if (!known) {
    warnings.push(`OTEL_TRACES_SAMPLER "${name}" is not known; using the default sampler`);
    return undefined;
  }
  if (known !== 'traceidratio' && known !== 'parentbased_traceidratio') return { name: known };
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG);
  if (env.OTEL_TRACES_SAMPLER_ARG?.trim() && Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return { name: known, ratio };
  warnings.push(`OTEL_TRACES_SAMPLER_ARG "${env.OTEL_TRACES_SAMPLER_ARG ?? ''}" is not a ratio in [0, 1]; using 1`);
  return { name: known, ratio: 1 };
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, warnings: string[]): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (Number.isFinite(value) && value > 0) return value;
  warnings.push(`${name} "${raw}" is not a positive number; using the default`);
  return undefined;
}

function propagators(env: NodeJS.ProcessEnv, warnings: string[]): ('tracecontext' | 'baggage')[] {
  const names = list(env.OTEL_PROPAGATORS);
  if (names.length === 0) return ['tracecontext', 'baggage'];
  if (names.includes('none')) return [];
  const known: ('tracecontext' | 'baggage')[] = [];
  for (const name of names) {
    if (name === 'tracecontext' || name === 'baggage') known.push(name);
    else warnings.push(`OTEL_PROPAGATORS "${name}" is not supported (tracecontext, baggage, none); ignored`);
  }
  return known;
}

import { context, DiagConsoleLogger, diag, metrics, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator, diagLogLevelFromString } from '@opentelemetry/core';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { shopInstrumentations } from './instrumentations.ts';
import { onTelemetryShutdown } from './lifecycle.ts';
import { readTraceSettings, type SamplerSetting, type TraceExporterName, type TraceSettings } from './trace-settings.ts';

let running: { stop(): Promise<void> } | undefined;

/**
 * Starts tracing with the shop's instrumentations. Everything is read from the standard OTEL_*
 * variables (trace-settings.ts): OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the resource,
 * with the process, host and OS attributes), OTEL_TRACES_EXPORTER (otlp, console, none),
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT/PROTOCOL/HEADERS (read by the exporter itself),
 * OTEL_TRACES_SAMPLER[_ARG], OTEL_BSP_*, OTEL_PROPAGATORS, OTEL_LOG_LEVEL.
 *
 * Lean on purpose, because every shop process pays for it in memory (decision 0015): a tracer
 * provider, a batch processor and the one exporter the protocol names, loaded on demand (the
 * gRPC one alone brings @grpc/grpc-js). NodeSDK loaded every exporter of every signal.
 * The defaults differ from the SDK's where the shop already has a better channel:
 * - metrics: prom-client serves /metrics, so no OTLP metrics unless OTEL_METRICS_EXPORTER asks;
 * - logs: pino writes JSON lines (with trace_id and span_id) to stdout, so no OTLP logs unless
 *   OTEL_LOGS_EXPORTER asks.
 * Only then is NodeSDK loaded, for those signals alone (its readers and log exporters from env).
 */
export async function startTelemetry(): Promise<{ instrumentedModules: string[] }> {
  if (running) return { instrumentedModules: [] };
  const settings = readTraceSettings();
  const logLevel = process.env.OTEL_LOG_LEVEL;
  if (logLevel) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(logLevel) });
  for (const warning of settings.warnings) diag.warn(warning);

  // Instrumentations first: the service's modules are imported after this returns, and each
  // must find its patch waiting.
  const instrumentations = shopInstrumentations({ logsWanted: settings.logsWanted });
  registerInstrumentations({ instrumentations });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = textMapPropagator(settings);
  if (propagator) propagation.setGlobalPropagator(propagator);

  const resource = defaultResource().merge(detectResources({ detectors: [serviceInstanceIdDetector, processDetector, hostDetector, osDetector, envDetector] }));
  const provider =
    settings.exporters.length > 0
      ? new TracerProvider({ resource, sampler: sampler(settings.sampler), spanProcessors: await spanProcessors(settings) })
      : undefined;
  if (provider) trace.setGlobalTracerProvider(provider);
  const others = settings.metricsWanted || settings.logsWanted ? await startMetricsAndLogs(resource, instrumentations, settings) : undefined;

  running = {
    async stop() {
      await Promise.all([provider?.shutdown(), others?.shutdown()]);
      contextManager.disable();
    },
  };
  onTelemetryShutdown(stopTelemetry);
  // The modules the instrumentations patch (express, pg, ioredis, pino, http…): the loader hook's list.
  return { instrumentedModules: [...new Set(instrumentations.flatMap((i) => i.getModuleDefinitions().map((m) => m.name)))] };
}

export async function stopTelemetry(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.stop();
}

function textMapPropagator(settings: TraceSettings): TextMapPropagator | undefined {
  const propagators = settings.propagators.map((name) => (name === 'tracecontext' ? new W3CTraceContextPropagator() : new W3CBaggagePropagator()));
  return propagators.length > 0 ? new CompositePropagator({ propagators }) : undefined;
}

function sampler(setting: SamplerSetting | undefined): Sampler | undefined {
  switch (setting?.name) {
    case undefined:
      return undefined;
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(setting.ratio);
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(setting.ratio) });
  }
}

async function spanProcessors(settings: TraceSettings): Promise<SpanProcessor[]> {
  const processors: SpanProcessor[] = [];
  for (const name of settings.exporters) {
    // Console output is for a developer watching: each span as it ends, as the SDK does.
    if (name === 'console') processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    else processors.push(new BatchSpanProcessor({ exporter: await otlpExporter(name), ...settings.batch }));
  }
  return processors;
}

/** Only the exporter asked for is imported: each brings its own serialisation (protobuf, gRPC). */
async function otlpExporter(name: Exclude<TraceExporterName, 'console'>): Promise<SpanExporter> {
  switch (name) {
    case 'otlp-http-protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
    case 'otlp-http-json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'otlp-grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
  }
}

/**
 * OTLP metrics or logs, when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER ask for them: NodeSDK
 * builds those from the same variables. It is told to leave tracing, the context manager and
 * the propagator alone (set up above), and the instrumentations get its meter provider.
 */
async function startMetricsAndLogs(resource: Resource, instrumentations: Instrumentation[], settings: TraceSettings) {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    contextManager: null as never,
    textMapPropagator: null,
    spanProcessors: [],
    ...(settings.metricsWanted ? {} : { metricReaders: [] }),
    ...(settings.logsWanted ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  if (settings.metricsWanted) for (const instrumentation of instrumentations) instrumentation.setMeterProvider(metrics.getMeterProvider());
  return sdk;
}

import type { LabConfig } from '../config/lab-config.ts';

/**
 * The environment every Node process of the lab starts from. Telemetry stays off unless the user
 * points it at a collector: with no collector the SDK would only log export failures. Their
 * OTEL_* settings always pass through.
 */
export function serviceBaseEnv(config: LabConfig, name: string): Record<string, string> {
  const inherited = config.inheritedEnv;
  return {
    ...inherited,
    LOG_LEVEL: 'info',
    OTEL_SERVICE_NAME: inherited.OTEL_SERVICE_NAME ?? name,
    OTEL_SDK_DISABLED: inherited.OTEL_EXPORTER_OTLP_ENDPOINT ? (inherited.OTEL_SDK_DISABLED ?? 'false') : 'true',
  };
}

import type { FiringAlert, Observations, ReleaseRecord, ShopMetrics } from './observations.ts';

/**
 * Hand-built observations for the bot's unit tests: a healthy shop at `at`, with what a test
 * changes laid over it. Kept beside the tests so each one says only what differs from healthy.
 */
export const t0 = Date.parse('2026-05-04T10:00:00Z');

export const healthyMetrics: ShopMetrics = {
  p95Seconds: { api: 0.12, payments: 0.06 },
  errorRatio: { api: 0, payments: 0 },
  apiDependencyUp: { postgres: true, redis: true, payments: true },
  postgresServerUp: true,
  redisServerUp: true,
  paymentFailures: [],
  paymentFailureRatio: 0,
  attemptsPerCharge: 1,
  queueBacklog: 0,
  queueBacklogSlopePerMinute: 0,
  queueActive: 1,
  workerHeartbeatAgeSeconds: 1,
  workerJobsPerSecond: 1.5,
  workerStarts3m: 0,
  redisMemoryUsedBytes: 3 * 2 ** 20,
  redisMemoryMaxBytes: 0,
  outboxOldestAgeSeconds: 0,
  outboxDispatchFailuresPerSecond: 0,
  apiHeapUsedBytes: 60 * 2 ** 20,
  apiHeapSlopeBytesPerMinute: 0,
  apiStarts10m: 0,
};

export const defaultFlags: Record<string, boolean | number> = {
  'payments.fraud-check': false,
  'payments.secondary-gateway': false,
  'api.payment-timeout-ms': 2000,
  'api.payment-retries': 3,
  'api.payments-circuit-breaker': false,
  'api.degraded-mode': false,
};

export function page(name: string, firedAt = t0, labels: Record<string, string> = {}): FiringAlert {
  return { name, severity: 'page', labels: { alertname: name, severity: 'page', ...labels }, firedAt };
}

export function deploy(service: string, version: string, at: number): ReleaseRecord {
  return { service, action: 'deploy', version, previousVersion: '2.3.0', at };
}

export function observe(
  over: { at?: number; alerts?: FiringAlert[]; releases?: ReleaseRecord[]; flags?: Record<string, boolean | number>; metrics?: Partial<ShopMetrics> } & Pick<
    Observations,
    'poisonJob'
  > = {},
): Observations {
  return {
    at: over.at ?? t0 + 10_000,
    alerts: over.alerts ?? [],
    releases: over.releases ?? [],
    flags: { ...defaultFlags, ...over.flags },
    metrics: { ...healthyMetrics, ...over.metrics },
    poisonJob: over.poisonJob,
  };
}

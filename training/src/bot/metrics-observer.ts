import { withTeamMatcher } from '@firedrill/conventions';
import type { PrometheusClient } from '@firedrill/kit';

import type { ShopMetrics } from './observations.ts';

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/**
 * The runbooks' Prometheus queries, asked through the query API every round: the golden-signal
 * recordings (prometheus/rules/golden-signals.yml) where one exists, the shop's own series where
 * the runbooks read those. A query that fails or matches nothing leaves its field undefined.
 *
 * `team`: in a class (docs/decisions/0015), the team whose shop the run drives. Every series of a
 * team's shop — its services', its queue's and its own Redis server's — carries `team`, so each
 * query is scoped to it (`max(redis_up)` over the class would be the worst team's). Postgres is
 * shared: its exporter's per-database series carry their database's team, but `pg_up` is the
 * server's and carries none, so that one query stays as it is. Absent: the
 * single lab, queries unchanged.
 */
export function metricsObserver(prometheus: PrometheusClient, options: { team?: string | null | undefined; signal?: AbortSignal | undefined } = {}) {
  const { team, signal } = options;
  const query = async (shopExpr: string, scope: 'team' | 'shared' = 'team'): Promise<Sample[] | undefined> => {
    const expr = team && scope === 'team' ? withTeamMatcher(shopExpr, team) : shopExpr;
    try {
      const signals = [AbortSignal.timeout(5_000), ...(signal ? [signal] : [])];
      const response = await prometheus.fetch(`/api/v1/query?${new URLSearchParams({ query: expr })}`, { signal: AbortSignal.any(signals) });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) })).filter((s) => Number.isFinite(s.value));
    } catch (err) {
      if (signal?.aborted) throw err;
      return undefined;
    }
  };
  const one = async (expr: string, scope?: 'team' | 'shared') => (await query(expr, scope))?.[0]?.value;
  const byLabel = async (expr: string, label: string) => Object.fromEntries((await query(expr))?.map((s) => [s.labels[label] ?? '', s.value]) ?? []);
  const up = (value: number | undefined) => (value === undefined ? undefined : value >= 1);

  return {
    async observe(): Promise<ShopMetrics> {
      const [p95, errors, deps, pgUp, redisUp, failures, failureRatio, attempts] = await Promise.all([
        byLabel('service:http_request_duration_seconds:p95_1m{service=~"api|payments"}', 'service'),
        byLabel('service:http_request_errors:ratio_rate1m{service=~"api|payments"}', 'service'),
        byLabel('service:shop_dependency_up:min{service="api"}', 'dependency'),
        one('max(pg_up)', 'shared'),
        one('max(redis_up)'),
        query('sum by (gateway, reason) (rate(payment_processed_total{status="failed"}[1m])) > 0'),
        one('service:payment_failures:ratio_rate1m{service="payments"}'),
        one('sum(rate(shop_payment_charge_attempts_sum[1m])) / sum(rate(shop_payment_charge_attempts_count[1m]))'),
      ]);
      const [backlog, backlogSlope, active, heartbeatAge, processed, workerStarts] = await Promise.all([
        one('sum(queue:bullmq_jobs_backlog:sum)'),
        one('sum(deriv(queue:bullmq_jobs_backlog:sum[1m])) * 60'),
        one('sum(queue:bullmq_jobs_active:sum)'),
        // The freshest heartbeat of any worker process: one beating worker is a live consumer.
        one('min(time() - worker_heartbeat_timestamp_seconds)'),
        one('sum(service:worker_jobs_processed:rate1m)'),
        one('sum(changes(process_start_time_seconds{service="worker"}[3m]))'),
      ]);
      const [redisUsed, redisMax, outboxAge, outboxFailures, apiMemory, apiPeak, apiSlope, apiStarts] = await Promise.all([
        one('max(redis_memory_used_bytes)'),
        one('max(redis_memory_max_bytes)'),
        one('max(service:shop_outbox_oldest_age_seconds:max{service="api"})'),
        one('sum(rate(shop_outbox_dispatch_failures_total[1m]))'),
        one('max(nodejs_heap_size_used_bytes{service="api"})'),
        one('max(max_over_time(nodejs_heap_size_used_bytes{service="api"}[3m]))'),
        // Restart-proof (observations.ts): the steepest 30 s slope within one life, per minute.
        one('max(max_over_time(deriv(nodejs_heap_size_used_bytes{service="api"}[30s])[3m:10s])) * 60'),
        one('sum(changes(process_start_time_seconds{service="api"}[10m]))'),
      ]);
      return {
        p95Seconds: { api: p95.api, payments: p95.payments },
        errorRatio: { api: errors.api, payments: errors.payments },
        apiDependencyUp: { postgres: up(deps.postgres), redis: up(deps.redis), payments: up(deps.payments) },
        postgresServerUp: up(pgUp),
        redisServerUp: up(redisUp),
        paymentFailures: (failures ?? []).map((s) => ({ gateway: s.labels.gateway ?? 'unknown', reason: s.labels.reason ?? 'unknown', perSecond: s.value })),
        paymentFailureRatio: failureRatio,
        attemptsPerCharge: attempts,
        queueBacklog: backlog,
        queueBacklogSlopePerMinute: backlogSlope,
        queueActive: active,
        workerHeartbeatAgeSeconds: heartbeatAge,
        workerJobsPerSecond: processed,
        workerStarts3m: workerStarts,
        redisMemoryUsedBytes: redisUsed,
        redisMemoryMaxBytes: redisMax,
        outboxOldestAgeSeconds: outboxAge,
        outboxDispatchFailuresPerSecond: outboxFailures,
        apiHeapUsedBytes: apiMemory,
        apiHeapPeakBytes: apiPeak,
        apiHeapSlopeBytesPerMinute: apiSlope,
        apiStarts10m: apiStarts,
      };
    },
  };
}

export type MetricsObserver = ReturnType<typeof metricsObserver>;

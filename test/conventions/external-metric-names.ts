/**
 * Metric names the lab queries but does not define: other software exports them. Dashboards and
 * rules may use these and the registry's (@firedrill/conventions), nothing else. Exact names, not
 * prefixes, so a typo in a query fails as surely as a made-up name. test/grafana's
 * metric-names.int.test.ts checks the scrapable ones against the real exporters' /metrics.
 */
export const externalMetricNames = {
  /** prometheus-postgres-exporter (Debian package), next to Postgres: USE of the database. */
  postgresExporter: [
    'pg_up',
    'pg_locks_count',
    'pg_settings_max_connections',
    'pg_stat_activity_count',
    'pg_stat_activity_max_tx_duration',
    'pg_stat_database_blks_hit',
    'pg_stat_database_blks_read',
    'pg_stat_database_conflicts',
    'pg_stat_database_deadlocks',
    'pg_stat_database_tup_deleted',
    'pg_stat_database_tup_inserted',
    'pg_stat_database_tup_updated',
    'pg_stat_database_xact_commit',
    'pg_stat_database_xact_rollback',
  ],
  /** prometheus-redis-exporter (Debian package), next to Redis. */
  redisExporter: [
    'redis_up',
    'redis_blocked_clients',
    'redis_commands_duration_seconds_total',
    'redis_commands_processed_total',
    'redis_commands_total',
    'redis_connected_clients',
    'redis_db_keys',
    'redis_evicted_keys_total',
    'redis_memory_max_bytes',
    'redis_memory_used_bytes',
    'redis_rejected_connections_total',
  ],
  /** Toxiproxy run with -proxy-metrics: per-proxy byte counters (the instructor's dashboard only). */
  toxiproxy: ['toxiproxy_proxy_received_bytes_total', 'toxiproxy_proxy_sent_bytes_total'],
  /**
   * k6's Prometheus remote-write output (k6 v2.2.0, names checked against a real run; trends as
   * p50/p95/p99 need K6_PROMETHEUS_RW_TREND_STATS). Pushed, never scraped, so no test scrapes them.
   */
  k6: [
    'k6_vus',
    'k6_vus_max',
    'k6_http_reqs_total',
    'k6_iterations_total',
    'k6_dropped_iterations_total',
    'k6_data_sent_total',
    'k6_data_received_total',
    'k6_http_req_duration_p50',
    'k6_http_req_duration_p95',
    'k6_http_req_duration_p99',
    'k6_http_req_failed_rate',
    'k6_checks_rate',
  ],
  /** BullMQ's Queue.exportPrometheusMetrics(), appended to the api's and the worker's /metrics. */
  bullmq: ['bullmq_job_count', 'bullmq_job_completed_total', 'bullmq_job_failed_total'],
  /** prom-client's collectDefaultMetrics (the kit's createRegistry), in every Node process. */
  nodeDefaults: [
    'nodejs_active_handles_total',
    'nodejs_eventloop_lag_p99_seconds',
    'nodejs_gc_duration_seconds_sum',
    'nodejs_heap_size_used_bytes',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_start_time_seconds',
  ],
  /** Series Prometheus itself synthesises: scrape health and alert state. */
  prometheus: ['up', 'ALERTS'],
} as const satisfies Record<string, readonly string[]>;

export type ExternalSource = keyof typeof externalMetricNames;

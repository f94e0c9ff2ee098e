/**
 * What the bot trainee sees at one moment: only what a trainee sees (alerts as Alertmanager
 * reported them, the shop's metrics in Prometheus, the release history, the flags, the worker's
 * log lines). Every field is plain data so that `diagnose` can be tested with hand-built values.
 * A metric the bot could not read is left out (undefined), never guessed as 0.
 */
export interface Observations {
  /** When these were taken (ms since the epoch). */
  at: number;
  /** Alerts firing now that fired during the run (older ones are not this incident's). */
  alerts: FiringAlert[];
  /** The deploy history, newest first (GET /api/releases). */
  releases: ReleaseRecord[];
  /** Each flag's current value (GET /api/flags). */
  flags: Record<string, boolean | number>;
  metrics: ShopMetrics;
  /** A job the worker's last fatal log lines name again and again (`lab logs worker`), if any. */
  poisonJob?: { id: string; crashes: number } | undefined;
}

export interface FiringAlert {
  name: string;
  /** page | ticket | info, from the alert's labels. */
  severity: string | null;
  labels: Record<string, string>;
  firedAt: number;
}

export interface ReleaseRecord {
  service: string;
  action: 'deploy' | 'rollback';
  version: string;
  previousVersion: string;
  at: number;
}

/** The signals the runbooks read, each from a recording rule or a shop metric. */
export interface ShopMetrics {
  /** service:http_request_duration_seconds:p95_1m, seconds. */
  p95Seconds: { api?: number | undefined; payments?: number | undefined };
  /** service:http_request_errors:ratio_rate1m. */
  errorRatio: { api?: number | undefined; payments?: number | undefined };
  /** The api's readiness checks (shop_dependency_up): false names a dependency it cannot reach. */
  apiDependencyUp: { postgres?: boolean | undefined; redis?: boolean | undefined; payments?: boolean | undefined };
  /** pg_up / redis_up: the exporters' direct view of the servers themselves. */
  postgresServerUp?: boolean | undefined;
  redisServerUp?: boolean | undefined;
  /** Failed charges per second by gateway and reason (payment_processed_total{status="failed"}). */
  paymentFailures: Array<{ gateway: string; reason: string; perSecond: number }>;
  /** service:payment_failures:ratio_rate1m at payments. */
  paymentFailureRatio?: number | undefined;
  /** Calls to payments per charge (shop_payment_charge_attempts _sum / _count over 1 m). */
  attemptsPerCharge?: number | undefined;
  /** queue:bullmq_jobs_backlog:sum and its slope (jobs per minute). */
  queueBacklog?: number | undefined;
  queueBacklogSlopePerMinute?: number | undefined;
  queueActive?: number | undefined;
  /** Seconds since the worker's last heartbeat; undefined when no worker reports one at all. */
  workerHeartbeatAgeSeconds?: number | undefined;
  /** service:worker_jobs_processed:rate1m. */
  workerJobsPerSecond?: number | undefined;
  /** Worker process starts over the last 3 minutes (a crash loop restarts it again and again). */
  workerStarts3m?: number | undefined;
  redisMemoryUsedBytes?: number | undefined;
  /** 0 means no limit. */
  redisMemoryMaxBytes?: number | undefined;
  outboxOldestAgeSeconds?: number | undefined;
  outboxDispatchFailuresPerSecond?: number | undefined;
  /** The api's V8 heap in use now (nodejs_heap_size_used_bytes). */
  apiHeapUsedBytes?: number | undefined;
  /**
   * The api's highest heap in use over the last 3 minutes: a leaking api that just died and was
   * restarted is small now, yet was near its limit moments ago.
   */
  apiHeapPeakBytes?: number | undefined;
  /**
   * How fast the api's heap grows, read so that restarts do not hide it: the steepest 30-second
   * slope of the last 3 minutes. Each 30 s window inside one process's life shows that life's
   * climb; a window across a death shows a drop, never a steeper climb. (One slope over minutes of
   * a sawtooth that resets at every death averages the climbs and the drops to nothing.)
   */
  apiHeapSlopeBytesPerMinute?: number | undefined;
  /** api process starts over the last 10 minutes (deploys and rollbacks among them). */
  apiStarts10m?: number | undefined;
}

/** What the run looks like to the operator (GET /api/runs/{id}/status), the part the bot needs. */
export interface RunView {
  state: string;
  holdingForMs: number;
  probes: Array<{ name: string; passing: boolean }>;
}

/** Run states after which nothing more happens. */
export const endedRunStates: readonly string[] = ['resolved', 'timed_out', 'stopped', 'refused', 'failed'];

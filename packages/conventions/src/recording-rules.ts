import { gauge } from './metric-definition.ts';

/**
 * Series that Prometheus' recording rules compute (prometheus/rules), named level:metric:operations.
 * They are gauges to whoever queries them; the label names are those the recorded series carry.
 */

const route = ['service', 'method', 'route'] as const;

/** prometheus/rules/golden-signals.yml: per-service golden signals, so dashboards and alerts read one cheap series. */
export const goldenSignalRules = {
  requestRate: gauge('service:http_requests:rate1m', 'HTTP requests per second per service, user traffic only (no /metrics, no health probes).', ['service']),
  routeRequestRate: gauge('service_route:http_requests:rate1m', 'HTTP requests per second per route template, user traffic only.', route),
  errorRate: gauge('service:http_request_errors:rate1m', '5xx answers per second per service (0, not absent, before the first one).', ['service']),
  errorRatio: gauge('service:http_request_errors:ratio_rate1m', 'Share of requests answered 5xx per service.', ['service']),
  routeErrorRatio: gauge('service_route:http_request_errors:ratio_rate1m', 'Share of requests answered 5xx per route template.', route),
  latencyP50: gauge('service:http_request_duration_seconds:p50_1m', 'Median HTTP request duration per service.', ['service']),
  latencyP95: gauge('service:http_request_duration_seconds:p95_1m', '95th percentile HTTP request duration per service.', ['service']),
  latencyP99: gauge('service:http_request_duration_seconds:p99_1m', '99th percentile HTTP request duration per service.', ['service']),
  routeLatencyP50: gauge('service_route:http_request_duration_seconds:p50_1m', 'Median HTTP request duration per route template.', route),
  routeLatencyP95: gauge('service_route:http_request_duration_seconds:p95_1m', '95th percentile HTTP request duration per route template.', route),
  routeLatencyP99: gauge('service_route:http_request_duration_seconds:p99_1m', '99th percentile HTTP request duration per route template.', route),
  eventLoopLagP99: gauge('service:nodejs_eventloop_lag_p99_seconds:max', "Worst p99 event-loop lag among a service's processes.", ['service']),
  cpu: gauge('service:process_cpu_seconds:rate1m', 'CPU seconds used per second per service (1 = one core busy).', ['service']),
  residentMemory: gauge('service:process_resident_memory_bytes:max', "Largest resident set among a service's processes.", ['service']),
  dependencyUp: gauge('service:shop_dependency_up:min', 'Whether a service reaches each dependency (1 or 0), as its readiness checks see it.', [
    'service',
    'dependency',
  ]),
  paymentsByStatus: gauge('service_status:payment_processed:rate1m', 'Settled charges per second by status.', ['service', 'status']),
  paymentFailureRatio: gauge('service:payment_failures:ratio_rate1m', 'Share of settled charges that failed (declines are not failures).', ['service']),
  paymentDeclineRatio: gauge('service:payment_declines:ratio_rate1m', 'Share of settled charges the card network declined.', ['service']),
  orderRate: gauge('service:shop_orders:rate1m', 'Order placements per second by resulting status.', ['service', 'status']),
  queueJobsByState: gauge('queue_state:bullmq_job_count:max', 'Jobs per queue and BullMQ state, merged across the processes that export them.', [
    'queue',
    'state',
  ]),
  queueBacklog: gauge('queue:bullmq_jobs_backlog:sum', 'Jobs waiting, prioritized or delayed per queue.', ['queue']),
  queueActive: gauge('queue:bullmq_jobs_active:sum', 'Jobs being processed per queue.', ['queue']),
  outboxBacklog: gauge('service:shop_outbox_backlog:max', 'Paid orders not yet handed to the fulfilment queue.', ['service']),
  outboxOldestAge: gauge('service:shop_outbox_oldest_age_seconds:max', 'Age of the oldest paid order not yet handed to the queue.', ['service']),
  jobsProcessedRate: gauge('service:worker_jobs_processed:rate1m', 'Jobs the worker completed per second.', ['service']),
  jobsFailedRate: gauge('service:worker_jobs_failed:rate1m', 'Job attempts that failed per second.', ['service']),
  jobDurationP95: gauge('service:worker_job_duration_seconds:p95_1m', '95th percentile duration of one job attempt.', ['service']),
  fulfilmentP95: gauge('service:order_fulfilment_seconds:p95_1m', '95th percentile time from payment to fulfilment.', ['service']),
  heartbeatAge: gauge('service:worker_heartbeat_age_seconds:max', "Seconds since the worker's last heartbeat.", ['service']),
} as const;

// Sloth's labels on every SLO series; `sloth_window` names the window a ratio is taken over.
const slo = ['owner', 'profile', 'sloth_id', 'sloth_service', 'sloth_slo'] as const;
const sloWindowed = [...slo, 'sloth_window'] as const;
const sliError = (window: string) =>
  gauge(
    `slo:sli_error:ratio_rate${window}`,
    `Share of bad events over the ${window} SLI window (the lab profile computes it over a window 30 times shorter).`,
    sloWindowed,
  );

/** prometheus/rules/slos.yml and rules/production/slos.yml, generated from prometheus/slos.yml by scripts/slo, named as Sloth names them. */
export const sloRules = {
  sliError5m: sliError('5m'),
  sliError30m: sliError('30m'),
  sliError1h: sliError('1h'),
  sliError2h: sliError('2h'),
  sliError6h: sliError('6h'),
  sliError1d: sliError('1d'),
  sliError3d: sliError('3d'),
  sliError30d: sliError('30d'),
  objective: gauge('slo:objective:ratio', "The SLO's objective: the target share of good events.", slo),
  errorBudget: gauge('slo:error_budget:ratio', 'The error budget: 1 − objective.', slo),
  timePeriodDays: gauge('slo:time_period:days', 'Length of the SLO period in days.', slo),
  currentBurnRate: gauge(
    'slo:current_burn_rate:ratio',
    'How fast the budget burns now (5m SLI over the budget; 1 = exactly the budget over the period).',
    sloWindowed,
  ),
  periodBurnRate: gauge('slo:period_burn_rate:ratio', 'Budget burnt over the whole period, as a share of it.', sloWindowed),
  periodErrorBudgetRemaining: gauge('slo:period_error_budget_remaining:ratio', "Share of the period's error budget still unspent.", sloWindowed),
  info: gauge('sloth_slo_info', 'One series per SLO, carrying its objective and generator as labels.', [
    ...slo,
    'sloth_mode',
    'sloth_objective',
    'sloth_spec',
    'sloth_version',
  ]),
} as const;

import { apiMetrics, httpMetrics } from '@firedrill/conventions';
import { stat, timeseries, type DashboardSpec } from '../panels.ts';
import { rate, ratio, sumRate } from '../promql.ts';

const upText = { 0: { text: 'DOWN', color: 'red' }, 1: { text: 'UP', color: 'green' } };
/**
 * The shop's database: `shop` in a single lab, `shop_<team>` in a class (docs/decisions/0015). The
 * Postgres exporter serves the one shared server: in a class a team's database's series carry its
 * team (from `datname`) and the server's own (max_connections) none, so the dashboards'
 * `team=~"$team|"` keeps both; the name picks the shop's database among the team-less ones (`lab`,
 * `postgres`, and a class's unused `shop`) — All: every shop's.
 */
const shopDatabase = 'datname=~"shop|shop_$team"';

/**
 * USE (utilisation, saturation, errors) for Postgres and Redis from Debian's exporters, next to
 * what the shop itself sees of them: a dependency can look healthy from its own side only.
 */
export const datastores: DashboardSpec = {
  uid: 'firedrill-datastores',
  title: 'Postgres and Redis',
  description:
    "Utilisation, saturation and errors of Postgres and Redis (postgres_exporter, redis_exporter), and the shop's own view of its dependencies: readiness, outbox backlog and dependency errors.",
  tags: ['firedrill', 'shop', 'datastores'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  rows: [
    {
      row: 'At a glance',
      panels: [
        stat({
          title: 'Postgres',
          description: 'Whether postgres_exporter could reach the database on its last scrape (pg_up).',
          queries: [{ expr: 'min(pg_up)' }],
          unit: 'none',
          valueText: upText,
        }),
        stat({
          title: 'Redis',
          description: 'Whether redis_exporter could reach Redis on its last scrape (redis_up).',
          queries: [{ expr: 'min(redis_up)' }],
          unit: 'none',
          valueText: upText,
        }),
        stat({
          title: 'Postgres connections used',
          // The shop database's backends, as the panels below: in a class the server is shared and
          // sized for every team's shop (max_connections), and a team's own are what it debugs.
          description: "The shop database's client backends over the server's max_connections.",
          queries: [{ expr: `sum(pg_stat_activity_count{${shopDatabase}}) / max(pg_settings_max_connections)` }],
          unit: 'percentunit',
          thresholds: [
            [0.7, 'orange'],
            [0.9, 'red'],
          ],
        }),
        stat({
          title: 'Redis memory',
          description: 'Memory Redis uses for data and overhead. BullMQ needs noeviction: a full Redis refuses writes.',
          queries: [{ expr: 'max(redis_memory_used_bytes)' }],
          unit: 'bytes',
        }),
      ],
    },
    {
      row: 'Postgres',
      panels: [
        timeseries({
          title: 'Connections by state',
          description: 'Utilisation: backends per state (active, idle, idle in transaction) against max_connections.',
          queries: [
            { expr: 'sum by (state) (pg_stat_activity_count)', legend: '{{state}}' },
            { expr: 'max(pg_settings_max_connections)', legend: 'max_connections' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Transactions',
          description: 'Commits and rollbacks per second in the shop database.',
          queries: [
            { expr: `sum(${rate('pg_stat_database_xact_commit', shopDatabase)})`, legend: 'commits' },
            { expr: `sum(${rate('pg_stat_database_xact_rollback', shopDatabase)})`, legend: 'rollbacks' },
          ],
          unit: 'ops',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Errors: rollback ratio, deadlocks, conflicts',
          description: 'Share of transactions rolled back, and deadlocks and conflicts per second.',
          queries: [
            {
              expr: `sum(${rate('pg_stat_database_xact_rollback', shopDatabase)}) / (sum(${rate('pg_stat_database_xact_commit', shopDatabase)}) + sum(${rate('pg_stat_database_xact_rollback', shopDatabase)}))`,
              legend: 'rollback ratio',
            },
            { expr: `sum(${rate('pg_stat_database_deadlocks', shopDatabase)})`, legend: 'deadlocks/s' },
            { expr: `sum(${rate('pg_stat_database_conflicts', shopDatabase)})`, legend: 'conflicts/s' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Saturation: locks and longest transaction',
          description: 'Locks held by mode, and the age of the oldest open transaction (a stuck transaction holds locks and blocks vacuum).',
          queries: [
            { expr: `sum by (mode) (pg_locks_count{${shopDatabase}})`, legend: 'locks {{mode}}' },
            { expr: 'max(pg_stat_activity_max_tx_duration)', legend: 'longest transaction (s)' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Cache hit ratio',
          description: 'Share of block reads served from shared buffers.',
          queries: [
            {
              expr: `sum(${rate('pg_stat_database_blks_hit', shopDatabase)}) / (sum(${rate('pg_stat_database_blks_hit', shopDatabase)}) + sum(${rate('pg_stat_database_blks_read', shopDatabase)}))`,
              legend: 'hit ratio',
            },
          ],
          unit: 'percentunit',
          max: 1,
          width: 8,
        }),
        timeseries({
          title: 'Rows written',
          description: 'Rows inserted, updated and deleted per second in the shop database.',
          queries: [
            { expr: `sum(${rate('pg_stat_database_tup_inserted', shopDatabase)})`, legend: 'inserted' },
            { expr: `sum(${rate('pg_stat_database_tup_updated', shopDatabase)})`, legend: 'updated' },
            { expr: `sum(${rate('pg_stat_database_tup_deleted', shopDatabase)})`, legend: 'deleted' },
          ],
          unit: 'ops',
          min: 0,
          width: 8,
        }),
      ],
    },
    {
      row: 'Redis',
      panels: [
        timeseries({
          title: 'Clients',
          description:
            'Utilisation: connected clients against maxclients; blocked clients are BullMQ workers waiting for jobs (normal) or anything stuck on a blocking command.',
          queries: [
            { expr: 'max(redis_connected_clients)', legend: 'connected' },
            { expr: 'max(redis_blocked_clients)', legend: 'blocked' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Commands',
          description: 'Commands processed per second.',
          queries: [{ expr: `sum(${rate('redis_commands_processed_total')})`, legend: 'commands/s' }],
          unit: 'ops',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Average command latency by command',
          description: 'Saturation: time Redis spent per call, by command (server-side, without the network).',
          queries: [{ expr: `${sumRate('redis_commands_duration_seconds_total', ['cmd'])} / ${sumRate('redis_commands_total', ['cmd'])}`, legend: '{{cmd}}' }],
          unit: 's',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Memory',
          description: 'Memory used, against maxmemory when one is set (0 = no limit).',
          queries: [
            { expr: 'max(redis_memory_used_bytes)', legend: 'used' },
            { expr: 'max(redis_memory_max_bytes)', legend: 'maxmemory' },
          ],
          unit: 'bytes',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Errors: rejected connections and evictions',
          description: 'Connections refused (maxclients reached) and keys evicted, per second; with noeviction, evictions must stay 0.',
          queries: [
            { expr: `sum(${rate('redis_rejected_connections_total')})`, legend: 'rejected connections/s' },
            { expr: `sum(${rate('redis_evicted_keys_total')})`, legend: 'evicted keys/s' },
          ],
          unit: 'ops',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Keys',
          description: 'Keys per database (BullMQ keeps a few per job).',
          queries: [{ expr: 'sum by (db) (redis_db_keys)', legend: '{{db}}' }],
          unit: 'short',
          min: 0,
          width: 8,
        }),
      ],
    },
    {
      row: "The shop's view of its dependencies",
      panels: [
        timeseries({
          title: 'Dependencies reachable from the api',
          description:
            "The api's readiness checks, run at each scrape through the same network path as its queries (1 = reachable). It can differ from the exporters, which sit next to the stores.",
          queries: [{ expr: `min by (dependency) (${apiMetrics.dependencyUp.name})`, legend: '{{dependency}}' }],
          unit: 'short',
          min: 0,
          max: 1,
          width: 12,
        }),
        timeseries({
          title: 'Dependency check latency',
          description: 'How long each readiness check took from the api; a slow network path shows here before errors do.',
          queries: [{ expr: `max by (dependency) (${apiMetrics.dependencyCheckDuration.name})`, legend: '{{dependency}}' }],
          unit: 's',
          min: 0,
          width: 12,
        }),
        timeseries({
          title: 'Readiness failures',
          description: 'Share of readiness probes answered 503: the service found Postgres or Redis unusable.',
          queries: [{ expr: ratio(httpMetrics.requests, ['service'], 'status_code="503"', 'route=~".*/ready"'), legend: '{{service}}' }],
          unit: 'percentunit',
          min: 0,
          max: 1,
          width: 8,
        }),
        timeseries({
          title: 'Outbox backlog',
          description: 'Paid orders waiting to be handed to the queue: grows when Redis is unreachable.',
          queries: [
            { expr: `max(${apiMetrics.outboxBacklog.name})`, legend: 'rows' },
            { expr: `sum(${rate(apiMetrics.outboxDispatchFailures)})`, legend: 'dispatch failures/s' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Dependency errors seen by the api',
          description: 'Requests the api answered 503 (a dependency is down) and payment calls that got no answer.',
          queries: [
            { expr: `sum(${rate(httpMetrics.requests, 'service="api", status_code="503"')}) or vector(0)`, legend: 'api 503/s' },
            { expr: `sum(${rate(apiMetrics.paymentAttempts, 'outcome=~"timeout|network_error|http_5.."')}) or vector(0)`, legend: 'payment call errors/s' },
          ],
          unit: 'ops',
          min: 0,
          width: 8,
        }),
      ],
    },
  ],
};

import { chaosControllerMetrics, httpMetrics, paymentsMetrics, workerMetrics } from '@firedrill/conventions';
import { stat, stateTimeline, table, timeseries, type DashboardSpec } from '../panels.ts';
import { buckets, ratio, sumRate } from '../promql.ts';

/**
 * For the instructor only (own folder, tag `instructor`): which faults are active, and the shop's
 * symptoms with every fault window drawn as an annotation. Trainee dashboards never query
 * chaos_* or Toxiproxy series, so they show symptoms, not causes.
 */
/**
 * The active faults of the chosen team: chaos_fault_active names a fault's team in `fault_team`
 * (never `team`, see chaosControllerMetrics), so the fault queries match it on the team variable
 * themselves; `|` keeps a single lab's faults (no fault_team), All (`.*`) every team's. The team
 * matcher every query gets (`team=~"$team|"`) keeps the controller's series, which carry no team.
 */
const activeFaults = `${chaosControllerMetrics.faultActive.name}{fault_team=~"$team|"}`;
/** One line per fault kind and team. */
const faultKinds = `max by (family, target, mode, fault_team) (${activeFaults})`;

export const instructor: DashboardSpec = {
  uid: 'firedrill-instructor',
  title: 'Instructor: faults and symptoms',
  description: "Active faults (chaos_fault_active) as panels and as annotations over the shop's symptoms. Not for trainees.",
  tags: ['firedrill', 'instructor'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  annotations: [
    {
      name: 'Faults',
      expr: `${faultKinds} > 0`,
      title: 'Fault: {{family}}',
      text: 'target {{target}}, mode {{mode}}',
      tagKeys: ['family', 'target', 'mode', 'fault_team'],
      color: 'red',
    },
  ],
  rows: [
    {
      row: 'Faults',
      panels: [
        stat({
          title: 'Active faults',
          description: "Faults active now, all families (the chosen team's in a class).",
          queries: [{ expr: `sum(${activeFaults}) or vector(0)` }],
          unit: 'short',
          thresholds: [[1, 'red']],
        }),
        stat({
          title: 'Fault controller',
          description: 'Whether Prometheus can scrape the chaos controller (instructor token).',
          queries: [{ expr: 'max(up{job="chaos"})' }],
          unit: 'none',
          valueText: { 0: { text: 'DOWN', color: 'red' }, 1: { text: 'UP', color: 'green' } },
        }),
        table({
          title: 'Active now',
          description: "Each active fault kind by family, target, mode and team (a class's; none in a single lab).",
          queries: [{ expr: `${faultKinds} > 0` }],
          unit: 'short',
          width: 12,
        }),
        stateTimeline({
          title: 'Fault timeline',
          description: 'When each fault kind was active.',
          queries: [{ expr: faultKinds, legend: '{{family}} {{target}} {{mode}} {{fault_team}}' }],
          unit: 'short',
          thresholds: [[1, 'red']],
          width: 24,
          height: 6,
        }),
      ],
    },
    {
      // A class (lab up --teams): which team's shop is hurting, one line per team (with All). The
      // symptom row below sums over the chosen teams, as the console's charts of it do per team.
      row: 'Teams side by side',
      panels: [
        timeseries({
          title: 'Checkout p95 by team',
          description: "95th percentile of each team's POST /api/orders at its api: the symptom most faults reach first.",
          queries: [
            {
              expr: `histogram_quantile(0.95, ${sumRate(buckets(httpMetrics.requestDuration), ['team', 'le'], 'service="api", method="POST", route="/api/orders"')})`,
              legend: '{{team}}',
            },
          ],
          unit: 's',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Server error ratio by team',
          description: "Share of each team's requests answered 5xx, all of its services.",
          queries: [{ expr: ratio(httpMetrics.requests, ['team'], 'status_code=~"5.."'), legend: '{{team}}' }],
          unit: 'percentunit',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Shop processes down by team',
          description: "How many of each team's api, payments and worker processes Prometheus could not scrape (0 = all up).",
          queries: [{ expr: 'sum by (team) (1 - up{job=~"api|payments|worker"})', legend: '{{team}}' }],
          unit: 'short',
          min: 0,
          width: 8,
        }),
      ],
    },
    {
      row: 'Symptoms (fault windows annotated)',
      panels: [
        timeseries({
          title: 'Request rate by service',
          description: 'Requests answered per second.',
          queries: [{ expr: sumRate(httpMetrics.requests, ['service']), legend: '{{service}}' }],
          unit: 'reqps',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Server error ratio by service',
          description: 'Share of requests answered 5xx.',
          queries: [{ expr: ratio(httpMetrics.requests, ['service'], 'status_code=~"5.."'), legend: '{{service}}' }],
          unit: 'percentunit',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'p95 latency by service',
          description: '95th percentile request duration.',
          queries: [{ expr: `histogram_quantile(0.95, ${sumRate(buckets(httpMetrics.requestDuration), ['service', 'le'])})`, legend: '{{service}}' }],
          unit: 's',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Payment failure ratio',
          description: 'Share of charges failed at the gateway.',
          queries: [{ expr: ratio(paymentsMetrics.processed, [], 'status="failed"'), legend: 'failed' }],
          unit: 'percentunit',
          min: 0,
          max: 1,
          width: 8,
        }),
        timeseries({
          title: 'Queue backlog and heartbeat age',
          description: 'Jobs waiting, and seconds since the worker last beat.',
          queries: [
            { expr: 'sum(max by (state) (bullmq_job_count{queue="fulfilment", state=~"waiting|delayed|prioritized"}))', legend: 'backlog' },
            { expr: `time() - max(${workerMetrics.heartbeat.name})`, legend: 'heartbeat age (s)' },
          ],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Processes up',
          description: 'Scrape success of every lab process (1 = up).',
          queries: [{ expr: 'up', legend: '{{job}}' }],
          unit: 'short',
          min: 0,
          max: 1,
          width: 8,
        }),
      ],
    },
    {
      row: 'Fault plane (Toxiproxy, native lab)',
      panels: [
        timeseries({
          title: 'Bytes through the proxies',
          description: 'Traffic through Toxiproxy in front of Postgres and Redis; a bandwidth or timeout toxic shows as a drop.',
          queries: [{ expr: sumRate('toxiproxy_proxy_sent_bytes_total', ['proxy', 'direction']), legend: '{{proxy}} {{direction}}' }],
          unit: 'Bps',
          min: 0,
        }),
        timeseries({
          title: 'Sent vs received',
          description: 'Bytes received minus bytes sent per proxy: a positive gap means data held back by a toxic.',
          queries: [
            {
              expr: `${sumRate('toxiproxy_proxy_received_bytes_total', ['proxy'])} - ${sumRate('toxiproxy_proxy_sent_bytes_total', ['proxy'])}`,
              legend: '{{proxy}}',
            },
          ],
          unit: 'Bps',
        }),
      ],
    },
  ],
};

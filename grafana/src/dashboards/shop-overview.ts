import { httpMetrics, trainingMetrics } from '@firedrill/conventions';
import { stat, timeseries, type DashboardSpec } from '../panels.ts';
import { buckets, quantiles, rate, ratio, sumRate } from '../promql.ts';

const svc = 'service=~"$service"';
const shopJobs = 'job=~"api|payments|worker"';

/** The four golden signals of each shop service, from the services' own RED metrics. */
export const shopOverview: DashboardSpec = {
  uid: 'firedrill-shop-overview',
  title: 'Shop overview',
  description: 'Golden signals (traffic, errors, latency, saturation) of the api, payments and worker services.',
  tags: ['firedrill', 'shop'],
  links: [{ title: 'Shop dashboards', tags: ['shop'] }],
  variables: [{ name: 'service', label: 'Service', metric: httpMetrics.requests.name, labelName: 'service' }],
  // Deploys and rollbacks are part of what on-call sees (a release is the usual suspect); faults never are.
  annotations: [
    {
      name: 'Deploys',
      // One marker per deploy at the time the gauge holds (Grafana wants milliseconds).
      expr: `${trainingMetrics.deployTimestamp.name} * 1000`,
      useValueForTime: true,
      title: 'Deploy: {{service}} {{version}}',
      text: '{{service}} now runs {{version}}',
      tagKeys: ['service', 'version'],
      color: 'blue',
    },
  ],
  rows: [
    {
      row: 'At a glance',
      panels: [
        stat({
          title: 'Services up',
          description: 'Whether Prometheus could scrape each shop process on its last attempt.',
          queries: [{ expr: `up{${shopJobs}}`, legend: '{{job}}' }],
          unit: 'none',
          thresholds: [],
          valueText: { 0: { text: 'DOWN', color: 'red' }, 1: { text: 'UP', color: 'green' } },
        }),
        stat({
          title: 'Requests / s',
          description: 'All HTTP requests answered by the selected services.',
          queries: [{ expr: `sum(${rate(httpMetrics.requests, svc)})` }],
          unit: 'reqps',
        }),
        stat({
          title: 'Server errors',
          description: 'Share of requests answered 5xx.',
          queries: [{ expr: ratio(httpMetrics.requests, [], 'status_code=~"5.."', svc) }],
          unit: 'percentunit',
          thresholds: [
            [0.01, 'orange'],
            [0.05, 'red'],
          ],
        }),
        stat({
          title: 'p95 latency',
          description: '95th percentile of request duration across the selected services.',
          queries: [{ expr: `histogram_quantile(0.95, ${sumRate(buckets(httpMetrics.requestDuration), ['le'], svc)})` }],
          unit: 's',
          thresholds: [
            [0.3, 'orange'],
            [1, 'red'],
          ],
        }),
      ],
    },
    {
      row: 'Traffic and errors',
      panels: [
        timeseries({
          title: 'Request rate by service',
          description: 'Requests answered per second (every status).',
          queries: [{ expr: sumRate(httpMetrics.requests, ['service'], svc), legend: '{{service}}' }],
          unit: 'reqps',
          min: 0,
        }),
        timeseries({
          title: 'Server error ratio by service',
          description: 'Share of requests answered 5xx; the availability SLO counts these.',
          queries: [{ expr: ratio(httpMetrics.requests, ['service'], 'status_code=~"5.."', svc), legend: '{{service}}' }],
          unit: 'percentunit',
          min: 0,
        }),
        timeseries({
          title: 'Request rate by route and status',
          description: 'Requests per second per route template and status code: a 402 is a declined card, a 503 a missing dependency.',
          queries: [
            {
              expr: sumRate(httpMetrics.requests, ['service', 'method', 'route', 'status_code'], svc),
              legend: '{{service}} {{method}} {{route}} {{status_code}}',
            },
          ],
          unit: 'reqps',
          min: 0,
          width: 24,
        }),
      ],
    },
    {
      row: 'Latency',
      panels: [
        timeseries({
          title: 'Latency percentiles by service',
          description: 'p50, p95 and p99 of request duration per service (histogram_quantile over the buckets).',
          queries: quantiles(httpMetrics.requestDuration, ['service'], svc, '{{service}} '),
          unit: 's',
          min: 0,
        }),
        timeseries({
          title: 'p95 latency by route',
          description: 'Which route got slow.',
          queries: [
            {
              expr: `histogram_quantile(0.95, ${sumRate(buckets(httpMetrics.requestDuration), ['service', 'route', 'le'], svc)})`,
              legend: '{{service}} {{route}}',
            },
          ],
          unit: 's',
          min: 0,
        }),
      ],
    },
    {
      row: 'Saturation',
      panels: [
        timeseries({
          title: 'Event loop lag p99',
          description: 'A busy or blocked Node event loop delays every request of that process.',
          queries: [{ expr: `nodejs_eventloop_lag_p99_seconds{${svc}}`, legend: '{{service}}' }],
          unit: 's',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'CPU',
          description: 'CPU time used per second (1.0 = one core busy).',
          queries: [{ expr: `sum by (service) (${rate('process_cpu_seconds_total', svc)})`, legend: '{{service}}' }],
          unit: 'percentunit',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Resident memory',
          description: 'Resident set size of each process (compose limits: api 384 MiB, payments and worker 256 MiB).',
          queries: [{ expr: `process_resident_memory_bytes{${svc}}`, legend: '{{service}}' }],
          unit: 'bytes',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Heap used',
          description: 'V8 heap in use; steady growth under flat traffic hints at a leak.',
          queries: [{ expr: `sum by (service) (nodejs_heap_size_used_bytes{${svc}})`, legend: '{{service}}' }],
          unit: 'bytes',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'Active handles',
          description: 'Open sockets, timers and files: connection pools that keep growing show here.',
          queries: [{ expr: `sum by (service) (nodejs_active_handles_total{${svc}})`, legend: '{{service}}' }],
          unit: 'short',
          min: 0,
          width: 8,
        }),
        timeseries({
          title: 'GC time',
          description: 'Share of wall time spent in garbage collection.',
          queries: [{ expr: `sum by (service) (${rate('nodejs_gc_duration_seconds_sum', svc)})`, legend: '{{service}}' }],
          unit: 'percentunit',
          min: 0,
          width: 8,
        }),
      ],
    },
  ],
};

import type { CounterDefinition, HistogramDefinition } from '@firedrill/conventions';
import type { Query } from './panels.ts';

/**
 * A counter to take a rate of: the lab's own come from its metric registry (@firedrill/conventions);
 * a plain name is another exporter's (postgres/redis exporters, Toxiproxy, k6, BullMQ, prom-client
 * defaults), and test/conventions fails when it is not on the allow-list there.
 */
export type Counter = CounterDefinition | string;

const nameOf = (metric: Counter) => (typeof metric === 'string' ? metric : metric.name);

/** The `_bucket` series of a histogram, which histogram_quantile reads. */
export function buckets(histogram: HistogramDefinition): string {
  return `${histogram.name}_bucket`;
}

/** `rate(m{sel}[$__rate_interval])`: Grafana picks a window of at least four scrape intervals. */
export function rate(metric: Counter, selector = ''): string {
  return `rate(${nameOf(metric)}{${selector}}[$__rate_interval])`;
}

/** `sum by (labels) (rate(...))`. */
export function sumRate(metric: Counter, by: string[], selector = ''): string {
  return `sum by (${by.join(', ')}) (${rate(metric, selector)})`;
}

/** p50, p95 and p99 of a histogram, one series per `by` group. */
export function quantiles(histogram: HistogramDefinition, by: string[], selector = '', legendPrefix = ''): Query[] {
  return [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, ${sumRate(buckets(histogram), [...by, 'le'], selector)})`,
    legend: `${legendPrefix}p${Math.round(q * 100)}`,
  }));
}

/**
 * bad / total per group, reading 0 (not "no data") while nothing bad has happened: a counter
 * series with a label like status_code="503" only exists after the first such request.
 */
export function ratio(metric: Counter, by: string[], badSelector: string, selector = ''): string {
  const all = sumRate(metric, by, selector);
  const join = selector ? `${selector}, ${badSelector}` : badSelector;
  return `(${sumRate(metric, by, join)} or ${all} * 0) / ${all}`;
}

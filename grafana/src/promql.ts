import type { Query } from './panels.ts';

/** `rate(m{sel}[$__rate_interval])`: Grafana picks a window of at least four scrape intervals. */
export function rate(metric: string, selector = ''): string {
  return `rate(${metric}{${selector}}[$__rate_interval])`;
}

/** `sum by (labels) (rate(...))`. */
export function sumRate(metric: string, by: string[], selector = ''): string {
  return `sum by (${by.join(', ')}) (${rate(metric, selector)})`;
}

/** p50, p95 and p99 of a histogram, one series per `by` group. */
export function quantiles(histogram: string, by: string[], selector = '', legendPrefix = ''): Query[] {
  return [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, ${sumRate(`${histogram}_bucket`, [...by, 'le'], selector)})`,
    legend: `${legendPrefix}p${Math.round(q * 100)}`,
  }));
}

/**
 * bad / total per group, reading 0 (not "no data") while nothing bad has happened: a counter
 * series with a label like status_code="503" only exists after the first such request.
 */
export function ratio(metric: string, by: string[], badSelector: string, selector = ''): string {
  const all = sumRate(metric, by, selector);
  const join = selector ? `${selector}, ${badSelector}` : badSelector;
  return `(${sumRate(metric, by, join)} or ${all} * 0) / ${all}`;
}

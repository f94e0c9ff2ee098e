/**
 * Every metric name a dashboard, a rule or a data-source link queries is one the lab's metric
 * registry (@firedrill/conventions) holds or one on the commented allow-list of other exporters'
 * names. No databases: the queries are parsed with Prometheus' own grammar.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allMetricDefinitions, httpMetrics, seriesNames } from '@firedrill/conventions';
import { renderDashboards } from '@firedrill/dashboards/catalogue';
import { dashboardQueries, parsePromql, provisionedDatasources, resolveGrafanaVariables } from '../grafana/dashboard-queries.ts';
import { externalMetricNames } from './external-metric-names.ts';
import { knownMetricNames, ruleFileRules, unknownMetricNames } from './known-metric-names.ts';

interface Usage {
  /** File and the rule or panel in it. */
  where: string;
  expr: string;
}

// From grafana/src itself, not the committed JSON: a dashboard edited but not regenerated is checked too.
const dashboards = renderDashboards().map(({ file, text }) => ({ file: path.posix.join('grafana', 'dashboards', file), json: JSON.parse(text) }));

function usages(): Usage[] {
  const rules = ruleFileRules().map((r) => ({ where: `${r.file}: ${r.record ? `record ${r.record}` : `alert ${r.alert}`}`, expr: r.expr }));
  const panels = dashboards.flatMap((d) => dashboardQueries([d]).map((q) => ({ where: `${d.file}: ${q.where}`, expr: resolveGrafanaVariables(q.expr) })));
  // label_values(metric, label) is Grafana's syntax, not PromQL: the metric is a selector of its own.
  const variables = dashboards.flatMap((d) =>
    (d.json.templating.list as Array<{ name: string; definition: string }>).map((v) => ({
      where: `${d.file}: variable $${v.name}`,
      expr: /^label_values\(([^,]+),/.exec(v.definition)?.[1] ?? v.definition,
    })),
  );
  const traceLinks = provisionedDatasources().flatMap((ds) =>
    ((ds.jsonData?.tracesToMetrics?.queries ?? []) as Array<{ name: string; query: string }>).map((q) => ({
      where: `grafana/provisioning/datasources: ${ds.uid} traces-to-metrics "${q.name}"`,
      expr: q.query.replaceAll('$$__tags', 'service="api"'), // Grafana reads $$ as a literal $; $__tags becomes the span's labels
    })),
  );
  return [...rules, ...panels, ...variables, ...traceLinks];
}

describe('metric names in queries', () => {
  const all = usages();

  it('when rules, dashboards and trace links are read, then there are queries from each (the check below has material)', () => {
    expect(all.filter((u) => u.where.startsWith('prometheus/rules/production/')).length).toBeGreaterThan(10);
    expect(all.filter((u) => u.where.startsWith('prometheus/rules/golden-signals')).length).toBeGreaterThan(10);
    expect(all.filter((u) => u.where.startsWith('grafana/dashboards/')).length).toBeGreaterThan(100);
    expect(all.filter((u) => u.where.includes('variable $')).length).toBeGreaterThan(0);
    expect(all.filter((u) => u.where.includes('traces-to-metrics')).length).toBeGreaterThan(0);
    expect(all.filter((u) => parsePromql(u.expr).errors.length > 0).map((u) => `${u.where}: ${u.expr}`)).toEqual([]);
  });

  it("when every query's metric names are looked up, then each is in the registry or on the allow-list of other exporters' names", () => {
    const known = knownMetricNames();
    const unknown = all.flatMap((u) => unknownMetricNames(u.expr, known).map((name) => `${u.where}: ${name} in ${u.expr.trim()}`));
    expect(unknown).toEqual([]);
  });

  it('when a query names a metric nobody defines, then the lookup reports it (the check above can fail)', () => {
    expect(unknownMetricNames('sum(rate(shop_order_total[1m])) / sum(rate(http_requests_total[1m]))')).toEqual(['shop_order_total']);
    // A classic histogram's bare name selects nothing: only its _bucket, _sum and _count series exist.
    expect(unknownMetricNames(httpMetrics.requestDuration.name)).toEqual([httpMetrics.requestDuration.name]);
    expect(unknownMetricNames(`histogram_quantile(0.9, rate(${httpMetrics.requestDuration.name}_bucket[1m])) > on() pg_up`)).toEqual([]);
    expect(unknownMetricNames('absent(worker_heartbeat_timestamp_secs{service="worker"})')).toEqual(['worker_heartbeat_timestamp_secs']);
  });

  it('when the allow-list is compared with the queries, then every name on it is used (no stale entries)', () => {
    const used = new Set(all.flatMap((u) => parsePromql(u.expr).metricNames));
    expect(
      Object.values(externalMetricNames)
        .flat()
        .filter((name) => !used.has(name)),
    ).toEqual([]);
  });

  it('when the allow-list is compared with the registry, then no name is on both (the lab defines it, or someone else does)', () => {
    const defined = new Set(allMetricDefinitions().flatMap(({ definition }) => seriesNames(definition)));
    expect(
      Object.values(externalMetricNames)
        .flat()
        .filter((name) => defined.has(name)),
    ).toEqual([]);
  });
});

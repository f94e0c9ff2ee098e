import { describe, expect, it } from 'vitest';
import { instructor } from '@firedrill/dashboards/dashboards/instructor';
import { shopOverview } from '@firedrill/dashboards/dashboards/shop-overview';
import { slos } from '@firedrill/dashboards/dashboards/slos';
import type { DashboardSpec } from '@firedrill/dashboards/panels';
import { consolePanels, findConsolePanel, selectedMetrics, sharedPanel } from './console-panels.ts';
import { chartQuery, legendFor } from './query-range.ts';

describe('console charts', () => {
  it("when the p95 chart is looked up, then it is the dashboard's own panel object (the query is not restated)", () => {
    const fromDashboard = instructor.rows.flatMap((r) => r.panels).find((p) => p.title === 'p95 latency by service');
    expect(findConsolePanel('p95-latency')?.panel).toBe(fromDashboard);
    expect(findConsolePanel('p95-latency')?.panel.queries[0]?.expr).toContain('histogram_quantile(0.95');
  });

  it('when the trainee view asks for its charts, then the golden signals per service, queue depth and payment outcomes are there, each split as its dashboard splits it', () => {
    const goldenSignals = consolePanels.filter((p) => p.group === 'golden-signals');
    expect(goldenSignals.map((p) => p.id)).toEqual(['request-rate', 'error-ratio', 'p95-latency']);
    for (const { panel } of goldenSignals) expect(panel.queries.map((q) => q.legend)).toEqual(['{{service}}']);
    expect(findConsolePanel('queue-backlog')?.panel.queries[0]?.expr).toContain('bullmq_job_count');
    expect(findConsolePanel('payment-outcomes')?.panel.queries[0]?.legend).toBe('{{status}}');
    // Nothing about faults: a trainee's chart must not say what the instructor injected.
    for (const { panel } of consolePanels) for (const query of panel.queries) expect(query.expr).not.toMatch(/chaos|fault/i);
  });

  it("when the trainee view asks for saturation and the SLOs, then they are the shop overview's saturation row per service and the slos dashboard's budget and burn, split per service or per SLO", () => {
    const saturation = consolePanels.filter((p) => p.group === 'saturation');
    expect(saturation.map((p) => p.id)).toEqual(['event-loop-lag', 'cpu', 'memory', 'postgres-connections']);
    const saturationRow = shopOverview.rows.find((r) => r.row === 'Saturation')?.panels ?? [];
    for (const id of ['event-loop-lag', 'cpu', 'memory']) {
      const chart = findConsolePanel(id);
      expect(saturationRow).toContain(chart?.panel);
      expect(chart?.panel.queries.map((q) => q.legend)).toEqual(['{{service}}']);
    }
    expect(findConsolePanel('postgres-connections')?.panel.queries[0]?.expr).toContain('pg_settings_max_connections');
    const sloCharts = consolePanels.filter((p) => p.group === 'slos');
    expect(sloCharts.map((p) => p.id)).toEqual(['error-budget', 'burn-rate']);
    const sloPanels = slos.rows.flatMap((r) => r.panels);
    for (const { panel } of sloCharts) {
      expect(sloPanels).toContain(panel);
      expect(panel.kind).toBe('timeseries');
      expect(panel.queries.map((q) => q.legend)).toEqual(['{{sloth_service}} / {{sloth_slo}}']);
    }
    expect(findConsolePanel('error-budget')?.panel.queries[0]?.expr).toContain('slo:period_error_budget_remaining:ratio');
  });

  it('when a chart reads the shared planes, then it is the Postgres connections chart only, and it selects Postgres exporter metrics only', () => {
    expect(consolePanels.filter((p) => p.reads === 'shared').map((p) => p.id)).toEqual(['postgres-connections']);
    for (const { panel } of consolePanels.filter((p) => p.reads === 'shared'))
      for (const { expr } of panel.queries) expect(selectedMetrics(expr)).toEqual(['pg_stat_activity_count', 'pg_settings_max_connections']);
  });

  it('when a panel read past the teams’ gates would select anything but pg_* (a fault metric, a bare selector), then the console refuses to start', () => {
    const dashboard = (expr: string): DashboardSpec =>
      ({
        uid: 'x',
        rows: [{ row: 'r', panels: [{ title: 'T', description: '', unit: 'short', kind: 'stat', queries: [{ expr }] }] }],
      }) as unknown as DashboardSpec;
    expect(sharedPanel(dashboard('max(pg_up)'), 'T').queries[0]?.expr).toBe('max(pg_up)');
    for (const expr of ['sum(pg_stat_activity_count) + sum(chaos_fault_active)', 'count({__name__=~"pg_.+"})', 'vector(1)'])
      expect(() => sharedPanel(dashboard(expr), 'T'), expr).toThrow(/Postgres exporter metrics \(pg_\*\) only/);
  });

  it("when a class's chart is drawn for a team, then a shop chart selects that team's series, and the Postgres chart that team's database's (labelled with the team) over the server's max_connections (no team)", () => {
    const p95 = findConsolePanel('p95-latency')!.panel.queries[0]!.expr;
    expect(chartQuery(p95, 'blue', 'shop')).toContain('http_request_duration_seconds_bucket{team="blue"}');
    const postgres = findConsolePanel('postgres-connections')!.panel.queries[0]!.expr;
    const blue = chartQuery(postgres, 'blue', 'shared');
    expect(blue).toBe('sum(pg_stat_activity_count{datname=~"shop|shop_blue", team=~"blue|"}) / max(pg_settings_max_connections{team=~"blue|"})');
    // Against the series a class's exporter gives (decision 0015: a team's database carries its team):
    // blue's database's backends are counted, green's never, whatever their datname.
    const matches = (labels: Record<string, string>) =>
      [...blue.matchAll(/pg_stat_activity_count\{([^}]*)\}/g)].every(([, matchers]) =>
        matchers!.split(', ').every((m) => {
          const [, name, value] = /^(\w+)=~"(.*)"$/.exec(m)!;
          return new RegExp(`^(?:${value})$`).test(labels[name!] ?? '');
        }),
      );
    expect(matches({ datname: 'shop_blue', team: 'blue' })).toBe(true);
    expect(matches({ datname: 'shop_green', team: 'green' })).toBe(false);
    expect(matches({ datname: 'lab' })).toBe(false);
    expect(() => chartQuery(postgres, 'blue|green', 'shared')).toThrow(/not a team name/);
    // One shop (or the instructor's whole class): as written, the shop database (`shop`, or every team's).
    expect(chartQuery(postgres, undefined, 'shared')).toBe('sum(pg_stat_activity_count{datname=~"shop|shop_.*"}) / max(pg_settings_max_connections)');
    expect(chartQuery(p95, undefined, 'shop')).not.toContain('team');
  });

  it('when chart ids are listed, then they are unique and URL-safe', () => {
    const ids = consolePanels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]{1,64}$/);
  });

  it("when a legend template is filled, then each {{label}} takes the series' value, and a missing template lists the labels", () => {
    expect(legendFor('{{service}} p95', { service: 'payments' })).toBe('payments p95');
    expect(legendFor('{{ service }}/{{route}}', { service: 'api' })).toBe('api/');
    expect(legendFor(undefined, { job: 'api', le: '0.5' })).toBe('job=api, le=0.5');
    expect(legendFor(undefined, {})).toBe('value');
  });
});

import { describe, expect, it } from 'vitest';
import { instructor } from '@firedrill/dashboards/dashboards/instructor';
import { shopOverview } from '@firedrill/dashboards/dashboards/shop-overview';
import { slos } from '@firedrill/dashboards/dashboards/slos';
import { consolePanels, findConsolePanel } from './console-panels.ts';
import { legendFor } from './query-range.ts';

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

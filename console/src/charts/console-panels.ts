import { instructor } from '@firedrill/dashboards/dashboards/instructor';
import { datastores } from '@firedrill/dashboards/dashboards/datastores';
import { payments } from '@firedrill/dashboards/dashboards/payments';
import { shopOverview } from '@firedrill/dashboards/dashboards/shop-overview';
import { slos } from '@firedrill/dashboards/dashboards/slos';
import type { DashboardSpec, Panel } from '@firedrill/dashboards/panels';
import { withTeamSelector } from '@firedrill/conventions';

/** A chart the console draws: a dashboard panel, named by where it comes from. */
export interface ConsolePanel {
  /** URL-safe id the page asks for, e.g. `p95-latency`. */
  id: string;
  /** Which part of the trainee view draws it. */
  group: 'golden-signals' | 'shop' | 'saturation' | 'slos';
  /**
   * Whose series the chart reads. `shop`: the shop's own (in a class, the team's: they carry
   * `team`). `shared`: the one Postgres server's exporter, whose server-wide series (max_connections)
   * carry no team in a class — no team's label proxy returns them — and whose per-database series
   * carry the database's team; so the console reads them from the lab's Prometheus, limited to the
   * team's series and those without a team (chart-source.ts, query-range.ts). Only Postgres exporter
   * metrics (`pg_*`) may be read that way: never the chaos controller's, which carry no team either.
   */
  reads: 'shop' | 'shared';
  panel: Panel;
}

/** What may be read from the shared planes for anyone: the Postgres server's exporter's series. */
const sharedMetric = /^pg_[a-z0-9_]+$/;

/**
 * The metric names a query selects (a bare `{…}` selector gives ''): the team injector marks every
 * vector selector, so a selector is found as it is found for scoping.
 */
export function selectedMetrics(expr: string): string[] {
  const mark = 'team="__selected__"';
  return [...withTeamSelector(expr, mark).matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)?\{[^{}]*team="__selected__"\}/g)].map((m) => m[1] ?? '');
}

export function sharedPanel(dashboard: DashboardSpec, title: string): Panel {
  const panel = panelOf(dashboard, title);
  for (const { expr } of panel.queries) {
    const metrics = selectedMetrics(expr);
    // A shared panel is read past the teams' gates: one selector of anything else must stop the console's start.
    if (metrics.length === 0 || !metrics.every((name) => sharedMetric.test(name)))
      throw new Error(`panel "${title}" reads the shared planes, so its queries may select Postgres exporter metrics (pg_*) only: ${expr}`);
  }
  return panel;
}

function panelOf(dashboard: DashboardSpec, title: string): Panel {
  const panel = dashboard.rows.flatMap((r) => r.panels).find((p) => p.title === title);
  // A renamed panel must fail the console's start and its tests, not draw an empty chart.
  if (!panel) throw new Error(`dashboard ${dashboard.uid} has no panel titled "${title}"`);
  return panel;
}

/**
 * The charts the console can draw, taken from the dashboards-as-code (grafana/src) so a query is
 * written once. Only these can be queried through the console: it is not a PromQL proxy.
 *
 * The golden signals come from the instructor dashboard's symptom row: one line per service, from
 * the services' own request metrics only (the row's fault annotations are not part of a panel, so
 * nothing a trainee may not see comes with them).
 */
export const consolePanels: readonly ConsolePanel[] = [
  { id: 'request-rate', group: 'golden-signals', reads: 'shop', panel: panelOf(instructor, 'Request rate by service') },
  { id: 'error-ratio', group: 'golden-signals', reads: 'shop', panel: panelOf(instructor, 'Server error ratio by service') },
  // The checkout path's p95 per service (api answers checkout, payments charges behind it): Lab 1's symptom.
  { id: 'p95-latency', group: 'golden-signals', reads: 'shop', panel: panelOf(instructor, 'p95 latency by service') },
  // Queue depth (jobs waiting) with the worker's heartbeat age: a hung worker shows in both.
  { id: 'queue-backlog', group: 'shop', reads: 'shop', panel: panelOf(instructor, 'Queue backlog and heartbeat age') },
  // Payment outcomes: settled charges per second by status (approved, declined, failed).
  { id: 'payment-outcomes', group: 'shop', reads: 'shop', panel: panelOf(payments, 'Charges by status') },
  // Saturation, the fourth golden signal: the shop overview's saturation row, one line per service
  // (the Node processes have no in-flight gauge; a busy process shows in its event loop and CPU first).
  { id: 'event-loop-lag', group: 'saturation', reads: 'shop', panel: panelOf(shopOverview, 'Event loop lag p99') },
  { id: 'cpu', group: 'saturation', reads: 'shop', panel: panelOf(shopOverview, 'CPU') },
  { id: 'memory', group: 'saturation', reads: 'shop', panel: panelOf(shopOverview, 'Resident memory') },
  // The shop database's client backends over max_connections: the one Postgres server, shared in a
  // class (its database's series carry the team, the server's max_connections none).
  { id: 'postgres-connections', group: 'saturation', reads: 'shared', panel: sharedPanel(datastores, 'Postgres connections used') },
  // The SLOs' error budgets and how fast they burn (Sloth-style recording rules), one line per SLO.
  { id: 'error-budget', group: 'slos', reads: 'shop', panel: panelOf(slos, 'Error budget remaining over time') },
  { id: 'burn-rate', group: 'slos', reads: 'shop', panel: panelOf(slos, 'Burn rate') },
];

export function findConsolePanel(id: string): ConsolePanel | undefined {
  return consolePanels.find((p) => p.id === id);
}

import { instructor } from '@firedrill/dashboards/dashboards/instructor';
import { datastores } from '@firedrill/dashboards/dashboards/datastores';
import { payments } from '@firedrill/dashboards/dashboards/payments';
import { shopOverview } from '@firedrill/dashboards/dashboards/shop-overview';
import { slos } from '@firedrill/dashboards/dashboards/slos';
import type { DashboardSpec, Panel } from '@firedrill/dashboards/panels';

/** A chart the console draws: a dashboard panel, named by where it comes from. */
export interface ConsolePanel {
  /** URL-safe id the page asks for, e.g. `p95-latency`. */
  id: string;
  /** Which part of the trainee view draws it. */
  group: 'golden-signals' | 'shop' | 'saturation' | 'slos';
  panel: Panel;
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
  { id: 'request-rate', group: 'golden-signals', panel: panelOf(instructor, 'Request rate by service') },
  { id: 'error-ratio', group: 'golden-signals', panel: panelOf(instructor, 'Server error ratio by service') },
  // The checkout path's p95 per service (api answers checkout, payments charges behind it): Lab 1's symptom.
  { id: 'p95-latency', group: 'golden-signals', panel: panelOf(instructor, 'p95 latency by service') },
  // Queue depth (jobs waiting) with the worker's heartbeat age: a hung worker shows in both.
  { id: 'queue-backlog', group: 'shop', panel: panelOf(instructor, 'Queue backlog and heartbeat age') },
  // Payment outcomes: settled charges per second by status (approved, declined, failed).
  { id: 'payment-outcomes', group: 'shop', panel: panelOf(payments, 'Charges by status') },
  // Saturation, the fourth golden signal: the shop overview's saturation row, one line per service
  // (the Node processes have no in-flight gauge; a busy process shows in its event loop and CPU first).
  { id: 'event-loop-lag', group: 'saturation', panel: panelOf(shopOverview, 'Event loop lag p99') },
  { id: 'cpu', group: 'saturation', panel: panelOf(shopOverview, 'CPU') },
  { id: 'memory', group: 'saturation', panel: panelOf(shopOverview, 'Resident memory') },
  // The shared connection pool behind every service: client backends over max_connections.
  { id: 'postgres-connections', group: 'saturation', panel: panelOf(datastores, 'Postgres connections used') },
  // The SLOs' error budgets and how fast they burn (Sloth-style recording rules), one line per SLO.
  { id: 'error-budget', group: 'slos', panel: panelOf(slos, 'Error budget remaining over time') },
  { id: 'burn-rate', group: 'slos', panel: panelOf(slos, 'Burn rate') },
];

export function findConsolePanel(id: string): ConsolePanel | undefined {
  return consolePanels.find((p) => p.id === id);
}

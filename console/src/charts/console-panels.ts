import { instructor } from '@firedrill/dashboards/dashboards/instructor';
import type { DashboardSpec, Panel } from '@firedrill/dashboards/panels';

/** A chart the console draws: a dashboard panel, named by where it comes from. */
export interface ConsolePanel {
  /** URL-safe id the page asks for, e.g. `p95-latency`. */
  id: string;
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
 * Next: the golden signals per service, queue depth, payment outcomes and error budgets.
 */
export const consolePanels: readonly ConsolePanel[] = [
  // The checkout path's p95 per service (api answers checkout, payments charges behind it): the
  // symptom of Lab 1. Taken from the instructor dashboard's symptom row, which queries only the
  // services' own request metrics (nothing a trainee may not see).
  { id: 'p95-latency', panel: panelOf(instructor, 'p95 latency by service') },
];

export function findConsolePanel(id: string): ConsolePanel | undefined {
  return consolePanels.find((p) => p.id === id);
}

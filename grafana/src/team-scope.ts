import { withTeamSelector } from '@firedrill/conventions';
import type { Variable } from './panels.ts';

/**
 * Every dashboard's `team` variable (docs/decisions/0015): in a class each team's series carry
 * `team`, and a panel shows the team chosen. The dashboards in src/dashboards are written for one
 * shop; buildDashboard scopes every panel query, annotation and variable query with this matcher,
 * through the same injector that scopes a scenario's probes to a team (withTeamSelector), so no
 * panel can forget it.
 *
 * `$team|`, not `$team`: the regex also matches an empty value, i.e. a series without `team` —
 * the lab's shared planes (the one Postgres server and its exporter, the chaos controller,
 * Toxiproxy, k6's remote-written series) belong to every team and stay on the dashboards when one
 * is chosen. "All" is `.*` (every team, and series without the label: Compose and the single
 * native lab show everything, as before).
 */
export const teamMatcher = 'team=~"$team|"';

export const teamVariable: Variable = {
  name: 'team',
  label: 'Team',
  description: "A class's team (lab up --teams): its shop's series and the lab's shared ones. All: every team, summed where a panel sums.",
  // `up` of the shop's scrape targets: every team has them from its first scrape.
  metric: 'up',
  labelName: 'team',
  multi: false,
};

/** `expr` with the team matcher on every vector selector. */
export function scopedToTeam(expr: string): string {
  return withTeamSelector(expr, teamMatcher);
}

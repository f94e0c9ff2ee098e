import { z } from 'zod';
import { HttpProblem, type PrometheusClient, problems } from '@firedrill/kit';
import { resolveGrafanaVariables } from '@firedrill/dashboards/resolve-variables';
import type { Panel } from '@firedrill/dashboards/panels';
import { teamNamePattern, withTeamMatcher, withTeamSelector } from '@firedrill/conventions';
import type { ConsolePanel } from './console-panels.ts';

export interface ChartSeries {
  /** The query's legend with the series' labels filled in, e.g. `payments`. */
  label: string;
  /** [unix seconds, value] pairs, oldest first; NaN where Prometheus had no value. */
  points: Array<[number, number]>;
}

export interface ChartData {
  title: string;
  description: string;
  unit: string;
  series: ChartSeries[];
}

const matrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

/** Grafana's legend template (`{{service}} p95`) with a series' labels. */
export function legendFor(template: string | undefined, metric: Record<string, string>): string {
  if (template === undefined)
    return (
      Object.entries(metric)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || 'value'
    );
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => metric[name] ?? '');
}

/**
 * A chart's query for one team of a class (`$team` resolved as the dashboards resolve it). A panel
 * of the shop: `team="<team>"` on every selector, the team's series only (what its prom-label-proxy
 * enforces as well). A panel of the shared planes: `team=~"<team>|"` on every selector, so the
 * team's series and those of no team answer — never another team's, which carry that team — as the
 * dashboards scope theirs: the Postgres panel's numerator is the team's database's backends (their
 * series carry the team, from `datname`: decision 0015) and its denominator the server's
 * max_connections (no team). Without a team (one shop, or the instructor's whole class) the query
 * is as written.
 */
export function chartQuery(expr: string, team: string | undefined, reads: ConsolePanel['reads']): string {
  const resolved = resolveGrafanaVariables(expr, { team });
  if (team === undefined) return resolved;
  if (reads === 'shop') return withTeamMatcher(resolved, team);
  // A regex matcher: only a team name may go in it (chart-team.ts checked it; so does withTeamMatcher for the other kind).
  if (!teamNamePattern.test(team)) throw new Error(`"${team}" is not a team name`);
  return withTeamSelector(resolved, `team=~"${team}|"`);
}

/** Each query of a panel through Prometheus' query_range, over [start, end] at `stepSeconds`, as chartQuery writes it. */
export async function queryPanelRange(
  prometheus: PrometheusClient,
  panel: Panel,
  range: { start: number; end: number; stepSeconds: number; team?: string | undefined; reads: ConsolePanel['reads'] },
): Promise<ChartData> {
  const series: ChartSeries[] = [];
  for (const query of panel.queries) {
    const params = new URLSearchParams({
      query: chartQuery(query.expr, range.team, range.reads),
      start: String(range.start),
      end: String(range.end),
      step: String(range.stepSeconds),
    });
    let body: unknown;
    try {
      const response = await prometheus.fetch(`/api/v1/query_range?${params}`, { signal: AbortSignal.timeout(5000) });
      body = await response.json();
    } catch (err) {
      throw new HttpProblem(problems.dependency_unavailable, 'Prometheus cannot be reached', { cause: err });
    }
    const parsed = matrixSchema.safeParse(body);
    if (!parsed.success) throw new HttpProblem(problems.dependency_unavailable, `Prometheus did not answer ${panel.title} with a matrix`);
    for (const result of parsed.data.data.result)
      series.push({ label: legendFor(query.legend, result.metric), points: result.values.map(([t, v]) => [t, Number(v)] as [number, number]) });
  }
  return { title: panel.title, description: panel.description, unit: panel.unit, series };
}

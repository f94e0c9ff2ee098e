import { withTeamMatcher } from '@firedrill/conventions';
import type { PrometheusClient } from '@firedrill/kit';

import { goldenSignalQueries } from '../runs/golden-signals.ts';
import type { SliChart, SliSeries } from './report-schema.ts';

/**
 * The run's checkout error ratio and p95 from Prometheus (query_range), for the report's chart.
 * Prometheus away or without data is an answer, not an error: the chart then says "no data" and
 * the report renders all the same.
 */
const charted: { name: SliSeries['name']; label: string; unit: string; query: string }[] = [
  { name: 'errorRatio', label: 'api error ratio', unit: 'ratio', query: goldenSignalQueries.errorRatio },
  { name: 'p95Ms', label: 'checkout p95', unit: 'ms', query: goldenSignalQueries.p95Ms },
];

/** At most this many points per series: enough for a page, small enough to embed. */
const maxPoints = 300;

/** `team`: a class's team whose shop's series to chart (null: the single lab's shop, whose series carry no team). */
export async function readSliChart(
  prometheus: PrometheusClient | undefined,
  fromMs: number,
  toMs: number,
  team: string | null = null,
  timeoutMs = 3_000,
): Promise<SliChart> {
  const span = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  if (!prometheus) return { ...span, series: [], unavailable: 'no Prometheus is configured' };
  const stepSeconds = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / maxPoints));
  try {
    const series = await Promise.all(
      charted.map(async ({ query, ...meta }) => ({
        ...meta,
        points: await queryRange(prometheus, team === null ? query : withTeamMatcher(query, team), fromMs, toMs, stepSeconds, timeoutMs),
      })),
    );
    const empty = series.every((one) => one.points.length === 0);
    return { ...span, series, unavailable: empty ? 'Prometheus has no samples for this run' : null };
  } catch (err) {
    return { ...span, series: [], unavailable: `Prometheus did not answer (${(err as Error).message})` };
  }
}

async function queryRange(
  prometheus: PrometheusClient,
  query: string,
  fromMs: number,
  toMs: number,
  stepSeconds: number,
  timeoutMs: number,
): Promise<[number, number][]> {
  const params = new URLSearchParams({ query, start: String(fromMs / 1000), end: String(toMs / 1000), step: `${stepSeconds}s` });
  const response = await prometheus.fetch(`/api/v1/query_range?${params}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`query_range answered ${response.status}`);
  const answer = (await response.json()) as { data?: { result?: { values?: [number, string][] }[] } };
  return (answer.data?.result?.[0]?.values ?? [])
    .map(([seconds, value]): [number, number] => [Math.round(seconds * 1000), Number(value)])
    .filter(([, value]) => Number.isFinite(value));
}

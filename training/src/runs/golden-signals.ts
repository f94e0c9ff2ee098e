import { withTeamMatcher } from '@firedrill/conventions';
import type { PrometheusClient } from '@firedrill/kit';

/** The shop's golden signals as a trainee's live screen shows them: checkouts per second, the api's 5xx ratio, checkout p95. */
export interface GoldenSignals {
  checkoutRate: number | null;
  errorRatio: number | null;
  p95Ms: number | null;
}

const checkout = 'service="api",method="POST",route="/api/orders"';
/**
 * The recording rules of prometheus/rules/golden-signals.yml; null where Prometheus has no value
 * (yet). The run report charts the same queries over a run (reports/sli-series.ts).
 */
export const goldenSignalQueries: Record<keyof GoldenSignals, string> = {
  checkoutRate: `sum(service_route:http_requests:rate1m{${checkout}})`,
  errorRatio: 'max(service:http_request_errors:ratio_rate1m{service="api"})',
  p95Ms: `max(service_route:http_request_duration_seconds:p95_1m{${checkout}}) * 1000`,
};

async function instant(prometheus: PrometheusClient, query: string, timeoutMs: number): Promise<number | null> {
  try {
    const response = await prometheus.fetch(`/api/v1/query?${new URLSearchParams({ query })}`, { signal: AbortSignal.timeout(timeoutMs) });
    const answer = (await response.json()) as {
      data?: { result?: { value: [number, string] }[] };
    };
    const value = Number(answer.data?.result?.[0]?.value[1]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** `team`: a class's team, whose shop's signals they are (its series carry `team`); null: the single lab's shop. */
export async function readGoldenSignals(prometheus: PrometheusClient, team: string | null = null, timeoutMs = 2_000): Promise<GoldenSignals> {
  const scoped = (query: string) => (team === null ? query : withTeamMatcher(query, team));
  const [checkoutRate, errorRatio, p95Ms] = await Promise.all(
    [goldenSignalQueries.checkoutRate, goldenSignalQueries.errorRatio, goldenSignalQueries.p95Ms].map((q) => instant(prometheus, scoped(q), timeoutMs)),
  );
  return { checkoutRate: checkoutRate ?? null, errorRatio: errorRatio ?? null, p95Ms: p95Ms === null || p95Ms === undefined ? null : Math.round(p95Ms) };
}

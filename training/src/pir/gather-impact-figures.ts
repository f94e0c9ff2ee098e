import { withTeamMatcher } from '@firedrill/conventions';
import type { PrometheusClient } from '@firedrill/kit';

import type { ImpactFigures } from './impact-figures.ts';
import type { ImpactWindow } from './impact-window.ts';

/**
 * Reads a PIR's impact numbers over the impact window: Prometheus for checkouts refused, payments
 * failed and error budget burned; the shop's database for orders that failed. Each figure is read
 * on its own, so one source away leaves only its figures null (with a note why) — the draft is
 * written either way.
 */
export interface FigureSources {
  prometheus: PrometheusClient;
  /** A read on the shop's database (its admin pool); throws when the database is away. */
  shopQuery: (sql: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  timeoutMs?: number;
  /** A class's team whose shop it was: the Prometheus figures are its series only (null or absent: the single lab's shop). */
  team?: string | null;
}

const checkout = 'service="api",method="POST",route="/api/orders"';
/** The checkout-availability SLO as the lab loads it (prometheus/rules/slos.yml, profile lab). */
const slo = 'sloth_id="api-checkout-availability",profile="lab"';

export async function gatherImpactFigures(window: ImpactWindow | null, sources: FigureSources): Promise<ImpactFigures> {
  if (!window || window.endMs === null)
    return { ordersFailed: null, checkoutErrors: null, paymentsFailed: null, errorBudgetBurnedPercent: null, notes: ['the impact had no end in the journal'] };
  const { startMs, endMs } = window;
  const seconds = Math.max(1, Math.round((endMs - startMs) / 1000));
  const notes: string[] = [];
  let shopNote: string | undefined;
  const prometheus = async (query: string): Promise<number | null> => {
    try {
      const scoped = sources.team ? withTeamMatcher(query, sources.team) : query;
      return await instant(sources.prometheus, scoped, endMs, sources.timeoutMs ?? 3_000);
    } catch (err) {
      const note = `Prometheus (${sources.prometheus.url}) did not answer: ${(err as Error).message}`;
      if (!notes.includes(note)) notes.push(note);
      return null;
    }
  };

  const [checkoutErrors, paymentsFailed, errorRatio, budget, periodDays, ordersFailed] = await Promise.all([
    prometheus(`sum(increase(http_requests_total{${checkout},status_code=~"5.."}[${seconds}s])) or vector(0)`),
    prometheus(`sum(increase(payment_processed_total{status="failed"}[${seconds}s])) or vector(0)`),
    // The SLI's shortest recorded window averaged over the impact: the share of checkouts that failed.
    prometheus(`avg_over_time(slo:sli_error:ratio_rate5m{${slo}}[${seconds}s])`),
    prometheus(`max(slo:error_budget:ratio{${slo}})`),
    prometheus(`max(slo:time_period:days{${slo}})`),
    ordersFailedIn(window, sources).catch((err: Error) => {
      shopNote = `the shop's database did not answer: ${err.message}`;
      return null;
    }),
  ]);
  // Prometheus' notes first, then the database's, whichever failed faster: the draft reads the same each time.
  if (shopNote) notes.push(shopNote);
  // Budget burned = bad share × impact time ÷ (allowed bad share × SLO period).
  const burned =
    errorRatio !== null && budget !== null && budget > 0 && periodDays !== null && periodDays > 0
      ? Math.round(((errorRatio * seconds) / (budget * periodDays * 86_400)) * 1000) / 10
      : null;
  if (burned === null && errorRatio === null && budget !== null) notes.push('the SLO recording rules had no value over the impact window');
  return {
    ordersFailed,
    checkoutErrors: checkoutErrors === null ? null : Math.round(checkoutErrors),
    paymentsFailed: paymentsFailed === null ? null : Math.round(paymentsFailed),
    errorBudgetBurnedPercent: burned,
    notes,
  };
}

async function ordersFailedIn(window: ImpactWindow, sources: FigureSources): Promise<number> {
  const { rows } = await sources.shopQuery(
    `SELECT count(*)::int AS failed FROM shop.orders WHERE status = 'payment_failed' AND created_at >= $1 AND created_at < $2`,
    [new Date(window.startMs), new Date(window.endMs!)],
  );
  return Number(rows[0]?.failed ?? 0);
}

/** One instant query at `atMs`; null when Prometheus answers with no series. Throws when it cannot be asked. */
async function instant(prometheus: PrometheusClient, query: string, atMs: number, timeoutMs: number): Promise<number | null> {
  const response = await prometheus.fetch(`/api/v1/query?${new URLSearchParams({ query, time: String(atMs / 1000) })}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`answered ${response.status}`);
  const answer = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
  const value = Number(answer.data?.result?.[0]?.value[1]);
  return Number.isFinite(value) ? value : null;
}

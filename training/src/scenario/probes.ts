import type { PrometheusClient } from '@firedrill/kit';
import type { Probe } from './scenario-schema.ts';

/**
 * Probes: evaluation against the real shop (Prometheus, HTTP, SQL), and the pure decision of
 * whether a series of results "holds" for the scenario's stability. A probe never throws: a check
 * that cannot be made (Prometheus down, a timeout, a SQL error) is a failing result with the
 * reason, because "we cannot tell" must not count as healthy.
 */

export interface ProbeResult {
  probe: string;
  ok: boolean;
  /** What was seen: a sample value, a status, or why the check could not be made. */
  detail: string;
}

/** One evaluation of every probe, at one time (ms since the epoch or since the run started). */
export interface ProbeRound {
  at: number;
  results: readonly ProbeResult[];
}

/** Runs a query and returns its rows, as pg's Pool and Client do. */
export type SqlQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

export interface ProbeTargets {
  /** The lab's Prometheus, with its credentials. */
  prometheus: PrometheusClient;
  serviceUrls: Record<'api' | 'payments', string>;
  databases: Partial<Record<'shop' | 'lab', SqlQuery>>;
  /** Per check; default 5 s. */
  timeoutMs?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface PrometheusAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'vector' | 'scalar' | 'matrix' | 'string'; result: unknown };
}

/**
 * A PromQL comparison through /api/v1/query: true when the result is a non-empty vector (a
 * comparison filters out the series that fail it), or a non-zero scalar (`bool` comparisons of
 * scalars).
 */
export async function evaluatePromql(prometheus: PrometheusClient, expression: string, timeoutMs = 5000): Promise<{ ok: boolean; detail: string }> {
  let answer: PrometheusAnswer;
  try {
    const response = await prometheus.fetch(`/api/v1/query?${new URLSearchParams({ query: expression })}`, { signal: AbortSignal.timeout(timeoutMs) });
    answer = (await response.json()) as PrometheusAnswer;
  } catch (error) {
    return { ok: false, detail: `Prometheus unreachable: ${message(error)}` };
  }
  if (answer.status !== 'success' || !answer.data) return { ok: false, detail: `Prometheus: ${answer.error ?? 'no data'}` };
  const { resultType, result } = answer.data;
  if (resultType === 'vector') {
    const samples = result as { value: [number, string] }[];
    return samples.length > 0 ? { ok: true, detail: `${samples.length} series, first ${samples[0]!.value[1]}` } : { ok: false, detail: 'empty result' };
  }
  if (resultType === 'scalar') {
    const [, value] = result as [number, string];
    return { ok: Number(value) !== 0, detail: `scalar ${value}` };
  }
  return { ok: false, detail: `a ${resultType} result; a probe needs an instant vector or scalar` };
}

export async function evaluateHttp(baseUrl: string, path: string, status: number, timeoutMs = 5000): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(new URL(path, baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { ok: response.status === status, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: `no answer: ${message(error)}` };
  }
}

/**
 * Passes when the first column of the first row is `true`; anything else is shown. The timeout
 * only stops waiting: give the pool a statement_timeout too, or a slow query keeps its client.
 */
export async function evaluateSql(query: SqlQuery, sql: string, timeoutMs = 5000): Promise<{ ok: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const { rows } = await Promise.race([query(sql), timeout]);
    const value = rows[0] === undefined ? undefined : Object.values(rows[0])[0];
    return { ok: value === true, detail: rows[0] === undefined ? 'no rows' : String(value) };
  } catch (error) {
    return { ok: false, detail: `SQL: ${message(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function evaluateProbe(probe: Probe, targets: ProbeTargets): Promise<ProbeResult> {
  const timeoutMs = targets.timeoutMs ?? 5000;
  let outcome: { ok: boolean; detail: string };
  if (probe.kind === 'promql') outcome = await evaluatePromql(targets.prometheus, probe.promql, timeoutMs);
  else if (probe.kind === 'http') outcome = await evaluateHttp(targets.serviceUrls[probe.service], probe.path, probe.status, timeoutMs);
  else {
    const query = targets.databases[probe.database];
    outcome = query ? await evaluateSql(query, probe.sql, timeoutMs) : { ok: false, detail: `no connection to the ${probe.database} database` };
  }
  return { probe: probe.name, ...outcome };
}

export async function evaluateProbes(probes: readonly Probe[], targets: ProbeTargets, at: number = Date.now()): Promise<ProbeRound> {
  return { at, results: await Promise.all(probes.map((probe) => evaluateProbe(probe, targets))) };
}

export type HoldState =
  /** Some probe fails (beyond its tolerance), or has no result yet. */
  | { state: 'failing'; failing: string[] }
  /** Every probe passes since `since`, not yet for `stability`. */
  | { state: 'passing'; since: number }
  /** Every probe has passed since `since`, for at least `stability`: mitigated (at `since`). */
  | { state: 'holding'; since: number };

/**
 * Whether the probes hold, from the rounds so far (in time order). A probe's failing stretch no
 * longer than its tolerance is a blip and does not break the hold; a longer one does, and the hold
 * starts again at the first passing round after it.
 */
export function holdState(rounds: readonly ProbeRound[], probes: readonly Pick<Probe, 'name' | 'toleranceMs'>[], stabilityMs: number, now: number): HoldState {
  const failing: string[] = [];
  let since = Number.NEGATIVE_INFINITY;
  for (const probe of probes) {
    const seen = rounds.flatMap((round) => round.results.filter((result) => result.probe === probe.name).map((result) => ({ at: round.at, ok: result.ok })));
    if (seen.length === 0) {
      failing.push(probe.name);
      continue;
    }
    // A failure seen at all breaks a probe without tolerance, even one observed this instant.
    const breaks = (failedFor: number) => probe.toleranceMs === 0 || failedFor > probe.toleranceMs;
    let goodSince: number | undefined = seen[0]!.at;
    let failedAt: number | undefined;
    for (const { at, ok } of seen) {
      if (!ok) {
        failedAt ??= at;
        continue;
      }
      if (failedAt !== undefined && breaks(at - failedAt)) goodSince = at;
      failedAt = undefined;
    }
    if (failedAt !== undefined && breaks(now - failedAt)) goodSince = undefined;
    if (goodSince === undefined) failing.push(probe.name);
    else since = Math.max(since, goodSince);
  }
  if (failing.length > 0) return { state: 'failing', failing };
  return now - since >= stabilityMs ? { state: 'holding', since } : { state: 'passing', since };
}

/**
 * What the card network did over the last minute, from real charges only — the truth behind
 * GET /payments/gateway/status. Declines are the network working normally (a customer's card said
 * no), so only failures and slowness count against its health. Each process keeps its own window.
 */

export type ChargeOutcomeStatus = 'approved' | 'declined' | 'failed';
export type GatewayHealth = 'operational' | 'degraded' | 'down';

export interface GatewayStatus {
  status: GatewayHealth;
  windowSeconds: number;
  charges: Record<ChargeOutcomeStatus, number>;
  /** null while the window is empty. */
  latencyMs: { p50: number | null; p95: number | null };
}

export const gatewayThresholds = {
  windowMs: 60_000,
  /** Below this many charges a share means little: one failure out of two is not an outage. */
  minSamples: 5,
  degradedFailedShare: 0.05,
  degradedP95Ms: 1_000,
  downFailedShare: 0.5,
} as const;

interface Sample {
  at: number;
  status: ChargeOutcomeStatus;
  latencyMs: number;
}

export class GatewayWindow {
  readonly #samples: Sample[] = [];
  /** Index of the oldest live sample; expired ones before it are dropped in batches, not one by one. */
  #head = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  record(status: ChargeOutcomeStatus, latencyMs: number): void {
    this.#samples.push({ at: this.#now(), status, latencyMs });
    this.#prune();
  }

  status(): GatewayStatus {
    this.#prune();
    const live = this.#samples.slice(this.#head);
    const charges = { approved: 0, declined: 0, failed: 0 };
    for (const sample of live) charges[sample.status] += 1;
    const latencies = live.map((s) => s.latencyMs).sort((a, b) => a - b);
    const latencyMs = { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
    return {
      status: judge(live.length, charges.failed, latencyMs.p95),
      windowSeconds: gatewayThresholds.windowMs / 1000,
      charges,
      latencyMs,
    };
  }

  /** Samples arrive in time order, so the expired ones are always at the front. */
  #prune(): void {
    const oldest = this.#now() - gatewayThresholds.windowMs;
    while (this.#head < this.#samples.length && this.#samples[this.#head]!.at <= oldest) this.#head++;
    if (this.#head > 1_000 && this.#head * 2 > this.#samples.length) {
      this.#samples.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

function judge(total: number, failed: number, p95: number | null): GatewayHealth {
  const t = gatewayThresholds;
  if (total < t.minSamples) return 'operational';
  const failedShare = failed / total;
  if (failedShare > t.downFailedShare) return 'down';
  if (failedShare > t.degradedFailedShare || (p95 ?? 0) > t.degradedP95Ms) return 'degraded';
  return 'operational';
}

/** Nearest-rank percentile of sorted values, rounded to whole milliseconds. */
function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return Math.round(sorted[rank - 1]!);
}

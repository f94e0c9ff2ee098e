import { prom, runChecks, type DependencyCheck, type Registry } from '@firedrill/kit';

/**
 * The readiness checks as metrics, run at each scrape: shop_dependency_up{dependency} (1 or 0)
 * and shop_dependency_check_seconds. Alerts read what the shop itself sees of its dependencies —
 * through the same network path it uses — not what an exporter next to the database sees.
 */
export function exportDependencyHealth(registry: Registry, checks: Record<string, DependencyCheck>, timeoutMs: number): void {
  const latency = new prom.Gauge({
    name: 'shop_dependency_check_seconds',
    help: 'How long the last readiness check of each dependency took (successful checks only).',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  new prom.Gauge({
    name: 'shop_dependency_up',
    help: 'Whether the api can reach each dependency right now (1) or not (0), checked at scrape time.',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const results = await runChecks(checks, timeoutMs);
      for (const [dependency, result] of Object.entries(results)) {
        this.set({ dependency }, result.ok ? 1 : 0);
        if (result.latencyMs !== undefined) latency.set({ dependency }, result.latencyMs / 1000);
      }
    },
  });
}

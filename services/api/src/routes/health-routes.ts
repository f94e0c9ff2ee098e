import { apiMetrics } from '@firedrill/conventions';
import { registerGauge, runChecks, type DependencyCheck, type Registry } from '@firedrill/kit';

/**
 * The readiness checks as metrics, run at each scrape: shop_dependency_up{dependency} (1 or 0)
 * and shop_dependency_check_seconds. Alerts read what the shop itself sees of its dependencies —
 * through the same network path it uses — not what an exporter next to the database sees.
 */
export function exportDependencyHealth(registry: Registry, checks: Record<string, DependencyCheck>, timeoutMs: number): void {
  const latency = registerGauge(registry, apiMetrics.dependencyCheckDuration);
  registerGauge(registry, apiMetrics.dependencyUp, {
    async collect() {
      const results = await runChecks(checks, timeoutMs);
      for (const [dependency, result] of Object.entries(results)) {
        this.set({ dependency }, result.ok ? 1 : 0);
        if (result.latencyMs !== undefined) latency.set({ dependency }, result.latencyMs / 1000);
      }
    },
  });
}

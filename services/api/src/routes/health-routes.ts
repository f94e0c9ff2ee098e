import { Router } from 'express';
import { prom, type Registry } from '@firedrill/kit';

export type DependencyCheck = () => Promise<unknown>;

export interface CheckResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

/**
 * Runs every check in parallel, each under its own deadline, so one black-holed dependency
 * cannot hang the probe or hide the state of the others.
 */
export async function runChecks(checks: Record<string, DependencyCheck>, timeoutMs: number): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { ok: true, latencyMs: Math.round(performance.now() - started) }];
      } catch (err) {
        return [name, { ok: false, error: (err as Error).message || String(err) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Liveness says the process can answer (restart it if not); readiness says whether it can do its
 * job now, naming each dependency, so a trainee sees which one is down at a glance.
 */
export function healthRoutes(deps: { checks: Record<string, DependencyCheck>; timeoutMs: number }): Router {
  const router = Router();

  router.get('/live', (_req, res) => {
    res.json({ status: 'live' });
  });

  router.get('/ready', async (_req, res) => {
    const checks = await runChecks(deps.checks, deps.timeoutMs);
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  return router;
}

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

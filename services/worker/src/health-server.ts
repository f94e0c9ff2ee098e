import express, { type Express } from 'express';
import { errorHandler, httpMetricsMiddleware, metricsHandler, routeNotFound, type Logger, type Registry } from '@firedrill/kit';

export type DependencyCheck = () => Promise<unknown>;

interface CheckResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

async function runCheck(check: DependencyCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The worker takes no traffic; this small server is how the lab and Prometheus see it:
 * liveness, readiness per dependency, and metrics (its own plus BullMQ's queue counts).
 */
export function buildHealthApp(deps: {
  registry: Registry;
  logger: Logger;
  checks: Record<string, DependencyCheck>;
  readyTimeoutMs: number;
  extraMetrics: () => Promise<string>;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(deps.registry));

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });

  app.get('/health/ready', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => [name, await runCheck(check, deps.readyTimeoutMs)] as const),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  app.get('/metrics', metricsHandler(deps.registry, deps.extraMetrics));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}

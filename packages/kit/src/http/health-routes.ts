import { Router } from 'express';
import { z } from 'zod';

/** Resolves when the dependency answers; rejects (or hangs) when it does not. */
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
        return [name, { ok: false, error: (err as Error).message || (err as { code?: string }).code || String(err) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** The answers of the health routes, as documented in every service's OpenAPI. */
export const livenessSchema = z.object({ status: z.literal('live') });
export const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() })),
});

/**
 * GET /live and GET /ready, mounted under a service's own prefix. Liveness says the process can
 * answer (restart it if not); readiness says whether it can do its job now, naming each
 * dependency, so a trainee sees which one is down at a glance. Only readiness checks
 * dependencies, so an outage takes a service out of rotation without a restart loop.
 */
export function healthRoutes(deps: { checks: Record<string, DependencyCheck>; timeoutMs: number }): Router {
  const router = Router();
  router.get('/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'live' } satisfies z.output<typeof livenessSchema>);
  });
  router.get('/ready', async (_req, res) => {
    const checks = await runChecks(deps.checks, deps.timeoutMs);
    const ready = Object.values(checks).every((c) => c.ok);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'unavailable', checks } satisfies z.output<typeof readinessSchema>);
  });
  return router;
}

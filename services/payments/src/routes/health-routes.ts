import { Router } from 'express';
import type { Pool } from '@firedrill/kit';

type CheckResult = { ok: true; latencyMs: number } | { ok: false; error: string };

/**
 * Liveness says the process can answer at all (restart it if not); readiness says it can do its
 * job, i.e. reach Postgres (stop sending it traffic if not). Only readiness checks dependencies,
 * so a database outage takes the service out of rotation without a restart loop.
 */
export function healthRoutes(pool: Pool, options: { checkTimeoutMs?: number } = {}): Router {
  const router = Router();
  const timeoutMs = options.checkTimeoutMs ?? 1_000;

  router.get('/payments/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'live' });
  });

  router.get('/payments/health/ready', async (_req, res) => {
    const postgres = await checkPostgres(pool, timeoutMs);
    res
      .status(postgres.ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: postgres.ok ? 'ready' : 'unavailable', checks: { postgres } });
  });

  return router;
}

async function checkPostgres(pool: Pool, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: (err as Error).message || (err as { code?: string }).code || 'unknown error' };
  } finally {
    clearTimeout(timer);
  }
}

import type { Router } from 'express';
import { healthRoutes as kitHealthRoutes, type Pool } from '@firedrill/kit';

/** /payments/health/live and /payments/health/ready; readiness needs Postgres. */
export function healthRoutes(pool: Pool, options: { checkTimeoutMs: number }): Router {
  return kitHealthRoutes({ checks: { postgres: () => pool.query('SELECT 1') }, timeoutMs: options.checkTimeoutMs });
}

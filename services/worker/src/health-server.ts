import express, { type Express } from 'express';
import {
  errorHandler,
  healthRoutes,
  httpMetricsMiddleware,
  metricsHandler,
  routeNotFound,
  type DependencyCheck,
  type Logger,
  type Registry,
} from '@firedrill/kit';

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

  app.use('/health', healthRoutes({ checks: deps.checks, timeoutMs: deps.readyTimeoutMs }));

  app.get('/metrics', metricsHandler(deps.registry, deps.extraMetrics));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}

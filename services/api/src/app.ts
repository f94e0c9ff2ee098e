import express, { type Express } from 'express';
import {
  errorHandler,
  healthOperations,
  healthRoutes,
  metricsOperation,
  openApiDocument,
  openApiOperation,
  type DependencyCheck,
  httpMetricsMiddleware,
  metricsHandler,
  routeNotFound,
  type Logger,
  type Pool,
  type Registry,
} from '@firedrill/kit';
import { httpFaults, type FaultAgent } from '@firedrill/chaos/agent';
import type { PaymentsClient } from './clients/payments-client.ts';
import type { ApiMetrics } from './metrics.ts';
import { apiDomainErrors } from './routes/api-problems.ts';
import { exportDependencyHealth } from './routes/health-routes.ts';
import { orderOperations, orderRoutes } from './routes/order-routes.ts';
import { productOperations, productRoutes } from './routes/product-routes.ts';
import { cachedCatalogue } from './data-access/product-repository.ts';

export interface ApiDeps {
  /** Request-level faults (latency, errors) act through its middleware, after metrics. */
  agent: FaultAgent;
  pool: Pool;
  payments: PaymentsClient;
  logger: Logger;
  registry: Registry;
  metrics: ApiMetrics;
  /** Readiness checks by dependency name (postgres, redis, payments). */
  readinessChecks: Record<string, DependencyCheck>;
  readyTimeoutMs: number;
  /** BullMQ's Prometheus text for the fulfilment queue, appended to /metrics. */
  queueMetrics?: () => Promise<string>;
  /** Called after an order is paid, to dispatch its fulfilment request without waiting a tick. */
  onOrderPaid: () => void;
  /** Whether checkout is paused (the api.degraded-mode flag): POST /api/orders answers 503 at once. */
  checkoutPaused: () => Promise<boolean>;
}

/** Where each part of the api is mounted; the app and its OpenAPI document both read it. */
const mounts = { health: '/api/health', products: '/api/products', orders: '/api/orders', openApi: '/api/openapi.json', metrics: '/metrics' } as const;

/** GET /api/openapi.json: every route of the api, from the zod schemas the routes parse with. */
export const apiOpenApiDocument = openApiDocument({
  title: 'Firedrill shop api',
  version: '1.0.0',
  description:
    'The shop: catalogue and orders. Placing an order charges it through payments, exactly once per Idempotency-Key; ' +
    'errors are application/problem+json with a stable `code`.',
  operations: [
    ...healthOperations(mounts.health),
    ...productOperations(mounts.products),
    ...orderOperations(mounts.orders),
    metricsOperation(mounts.metrics),
    openApiOperation(mounts.openApi),
  ],
});

/** The api's HTTP surface. Never listens: start.ts does, and tests may use it directly. */
export function buildApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(httpMetricsMiddleware(deps.registry));
  app.use(httpFaults(deps.agent));

  app.use(mounts.health, healthRoutes({ checks: deps.readinessChecks, timeoutMs: deps.readyTimeoutMs }));
  exportDependencyHealth(deps.registry, deps.readinessChecks, deps.readyTimeoutMs);
  app.use(mounts.products, productRoutes(deps));
  app.use(mounts.orders, orderRoutes({ ...deps, catalogue: cachedCatalogue(deps.pool) }));
  app.get(mounts.openApi, (_req, res) => res.json(apiOpenApiDocument));
  app.get(mounts.metrics, metricsHandler(deps.registry, deps.queueMetrics));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger, apiDomainErrors));
  return app;
}

import express, { type Express } from 'express';
import {
  errorHandler,
  healthOperations,
  httpMetricsMiddleware,
  jsonBody,
  metricsHandler,
  metricsOperation,
  openApiDocument,
  openApiOperation,
  routeNotFound,
  type Logger,
  type Pool,
  type Registry,
} from '@firedrill/kit';
import { httpFaults, type FaultAgent } from '@firedrill/chaos/agent';
import type { FraudScreen } from './domain/fraud-screen.ts';
import type { PaymentGateways } from './domain/payment-gateways.ts';
import type { PaymentsFlags } from './flags.ts';
import type { PaymentMetrics } from './metrics.ts';
import { chargeOperations, chargeRoutes } from './routes/charge-routes.ts';
import { gatewayOperations, gatewayRoutes } from './routes/gateway-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { paymentsDomainErrors } from './routes/payments-problems.ts';

export interface PaymentsAppDeps {
  pool: Pool;
  /** The primary and secondary card gateways, each with its health window. */
  gateways: PaymentGateways;
  /** The fraud scorer that charges go through while the payments.fraud-check flag is on. */
  fraudScreen: FraudScreen;
  flags: PaymentsFlags;
  registry: Registry;
  /** Request-level faults (latency, errors) act through its middleware, after metrics. */
  agent: FaultAgent;
  metrics: PaymentMetrics;
  logger: Logger;
  /** Each readiness check gives up after this long. */
  readyTimeoutMs: number;
}

/** GET /payments/openapi.json: every route of payments, from the zod schemas the routes parse with. */
export const paymentsOpenApiDocument = openApiDocument({
  title: 'Firedrill payments',
  version: '1.0.0',
  description: 'Charges against a simulated card network, at most once per Idempotency-Key; errors are application/problem+json with a stable `code`.',
  operations: [
    ...chargeOperations,
    ...gatewayOperations,
    ...healthOperations('/payments/health'),
    metricsOperation('/metrics'),
    openApiOperation('/payments/openapi.json'),
  ],
});

/** The payments HTTP app, wired but not listening (tests and start.ts decide where it listens). */
export function buildPaymentsApp(deps: PaymentsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(httpMetricsMiddleware(deps.registry));
  app.use(httpFaults(deps.agent));
  // A charge request is a few hundred bytes; anything near the limit is not a charge.
  app.use(jsonBody('16kb'));

  app.use(chargeRoutes(deps));
  app.use(gatewayRoutes(deps.gateways, deps.flags.activeGateway));
  app.use('/payments/health', healthRoutes(deps.pool, { checkTimeoutMs: deps.readyTimeoutMs }));
  app.get('/payments/openapi.json', (_req, res) => res.json(paymentsOpenApiDocument));
  app.get('/metrics', metricsHandler(deps.registry));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger, paymentsDomainErrors));
  return app;
}

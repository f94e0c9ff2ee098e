import express, { type Express } from 'express';
import {
  errorHandler,
  healthRoutes,
  httpMetricsMiddleware,
  jsonBody,
  metricsHandler,
  routeNotFound,
  type DependencyCheck,
  type Logger,
  type Registry,
} from '@firedrill/kit';
import type { IdentityRouteDeps } from '../identities/identity-routes.ts';
import { allow, identifyCaller, type RoleTokens, type TraineeLookup } from '../ops/identity.ts';
import { openApiRoles, trainingOpenApiDocument } from '../ops/openapi.ts';
import { expressPath, type OpsDeps } from '../ops/ops-routes.ts';
import type { PirRouteDeps } from '../pir/pir-routes.ts';
import type { ReportRouteDeps } from '../reports/report-routes.ts';
import type { IncidentRouteDeps } from '../incidents/incident-routes.ts';
import type { QuizRouteDeps } from '../quiz/quiz-routes.ts';
import type { RunRouteDeps } from '../runs/run-routes.ts';
import type { RunbookRouteDeps } from '../runbooks/runbook-routes.ts';
import { mapTrainingError } from './training-problems.ts';
import { trainingRoutes } from './training-routes.ts';

export interface TrainingAppDeps
  extends OpsDeps,
    RunRouteDeps,
    IdentityRouteDeps,
    IncidentRouteDeps,
    ReportRouteDeps,
    PirRouteDeps,
    QuizRouteDeps,
    RunbookRouteDeps {
  tokens: RoleTokens;
  /** Recognises trainees' own tokens (the trainee store); without it only the shared tokens are known. */
  findTrainee?: TraineeLookup;
  registry: Registry;
  logger: Logger;
  readyChecks: Record<string, DependencyCheck>;
  readyTimeoutMs: number;
}

/** The training process's HTTP app, wired but not listening (tests and start.ts decide where). */
export function buildTrainingApp(deps: TrainingAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(deps.registry));
  // Open: deploy markers and request rates are what any on-call engineer sees.
  app.get('/metrics', metricsHandler(deps.registry));
  app.use('/health', healthRoutes({ checks: deps.readyChecks, timeoutMs: deps.readyTimeoutMs }));

  app.use(identifyCaller(deps.tokens, deps.findTrainee));
  // Routes that take more than the usual small body parse it first (the app-wide parser then skips it).
  for (const route of trainingRoutes) if (route.bodyLimit) app[route.spec.method](expressPath(route.spec.path), ...jsonBody(route.bodyLimit));
  app.use(jsonBody('8kb'));
  app.get('/api/openapi.json', allow(...openApiRoles), (_req, res) => {
    res.json(trainingOpenApiDocument);
  });
  for (const route of trainingRoutes) app[route.spec.method](expressPath(route.spec.path), allow(...route.roles), route.handler(deps));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger, mapTrainingError));
  return app;
}

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
import { allow, identifyCaller, type RoleTokens } from '../ops/identity.ts';
import { openApiRoles, trainingOpenApiDocument } from '../ops/openapi.ts';
import { expressPath, opsRoutes, type OpsDeps } from '../ops/ops-routes.ts';
import { quizRoutes, type QuizRouteDeps } from '../quiz/quiz-routes.ts';
import { runbookRoutes } from '../runbooks/runbook-routes.ts';
import { runRoutes, type RunRouteDeps } from '../runs/run-routes.ts';
import { mapTrainingError } from './training-problems.ts';

export interface TrainingAppDeps extends OpsDeps, RunRouteDeps, QuizRouteDeps {
  tokens: RoleTokens;
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

  app.use(identifyCaller(deps.tokens));
  app.use(jsonBody('8kb'));
  app.get('/api/openapi.json', allow(...openApiRoles), (_req, res) => {
    res.json(trainingOpenApiDocument);
  });
  for (const route of [...opsRoutes, ...runRoutes, ...runbookRoutes, ...quizRoutes])
    app[route.spec.method](expressPath(route.spec.path), allow(...route.roles), route.handler(deps));

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger, mapTrainingError));
  return app;
}

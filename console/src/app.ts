import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import {
  HttpProblem,
  type PrometheusClient,
  errorHandler,
  httpMetricsMiddleware,
  jsonBody,
  metricsHandler,
  routeNotFound,
  type Logger,
  type Registry,
} from '@firedrill/kit';
import type { ConsolePanel } from './charts/console-panels.ts';
import { chaosProxy } from './routes/chaos-proxy.ts';
import { chartRoutes } from './routes/chart-routes.ts';
import { runEventStream } from './routes/run-event-stream.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { trainingProxy } from './routes/training-proxy.ts';
import { consoleProblems } from './session/console-problems.ts';
import { sameOriginOnly } from './session/csrf-guard.ts';
import type { Caller, SessionStore } from './session/session-store.ts';

export interface ConsoleAppDeps {
  sessions: SessionStore;
  trainingUrl: string;
  /** The chaos controller (instructor sessions only). */
  chaosUrl: string;
  /** Whose Prometheus a caller's charts come from (charts/chart-source.ts). */
  prometheusFor: (caller: Caller, team: string | undefined, reads: ConsolePanel['reads']) => PrometheusClient;
  /** The class's teams (charts scoped by team); empty for a single shop. */
  classTeams?: readonly string[];
  sessionTtlMs: number;
  /** The built page (index.html and its assets). */
  webDir: string;
  logger: Logger;
  registry: Registry;
  /** Long-poll wait of the event stream (tests shorten it). */
  pollWaitMs?: number;
}

/**
 * The page may load only its own files and talk only to its own origin; no other site may frame
 * it (clickjacking a lever's confirm button).
 */
const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The console's HTTP app, wired but not listening (tests and start.ts decide where). */
export function buildConsoleApp(deps: ConsoleAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('content-security-policy', contentSecurityPolicy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  app.use(httpMetricsMiddleware(deps.registry));
  // Open, as every lab process's: request rates and the process's memory (the bench's sessions).
  app.get('/metrics', metricsHandler(deps.registry));
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  // Before anything that changes state: a request another site started goes no further.
  app.use(sameOriginOnly());
  app.use('/console', jsonBody('4kb'));
  app.use(sessionRoutes({ sessions: deps.sessions, trainingUrl: deps.trainingUrl, ttlMs: deps.sessionTtlMs }));
  app.use(runEventStream({ sessions: deps.sessions, trainingUrl: deps.trainingUrl, ...(deps.pollWaitMs !== undefined && { pollWaitMs: deps.pollWaitMs }) }));
  app.use(chartRoutes({ sessions: deps.sessions, prometheusFor: deps.prometheusFor, classTeams: deps.classTeams ?? [] }));
  app.use(chaosProxy({ sessions: deps.sessions, chaosUrl: deps.chaosUrl }));
  app.use(trainingProxy({ sessions: deps.sessions, trainingUrl: deps.trainingUrl }));

  // The page: hashed assets cached for good, index.html never (it names the current assets).
  app.use('/assets', express.static(path.join(deps.webDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  app.get(['/', '/index.html'], (_req, res, next) => {
    const index = path.join(deps.webDir, 'index.html');
    if (!existsSync(index)) return next(new HttpProblem(consoleProblems.page_not_built, `No ${index}`));
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}

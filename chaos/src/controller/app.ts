import express from 'express';
import {
  HttpProblem,
  problems,
  errorHandler,
  httpMetricsMiddleware,
  jsonBody,
  metricsHandler,
  parseOrThrow,
  routeNotFound,
  type Logger,
  type Registry,
} from '@firedrill/kit';
import { catalogue, type FaultSpec } from '../faults/catalogue.ts';
import { formatDuration } from '../faults/duration.ts';
import { requireToken } from './auth.ts';
import { FaultNotAppliedError, defaultDurationMs, maxDurationMs, type FaultRegistry } from './fault-registry.ts';
import type { Fault, FaultStore } from './fault-store.ts';
import { agentView } from './agent-view.ts';
import { controllerOpenApiDocument } from './openapi.ts';
import { actorHeaders, agentQuery, faultIdParams, injectRequestSchema, limitQuery } from './request-schemas.ts';
import { webhookNotification, type AlertStore } from './alert-store.ts';

export interface ControllerDeps {
  registry: FaultRegistry;
  store: FaultStore;
  metrics: Registry;
  logger: Logger;
  instructorToken: string;
  agentToken: string;
  alerts: AlertStore;
  /** Alertmanager's token for the webhook; without one the webhook is off. */
  alertsToken?: string | undefined;
  agentPollMs: number;
}

/** What an instructor sees of a fault. */
export function faultView(fault: Fault, now = Date.now()) {
  return {
    id: fault.id,
    ...fault.spec,
    createdBy: fault.createdBy,
    createdAt: fault.createdAt.toISOString(),
    expiresAt: fault.expiresAt.toISOString(),
    remainingSeconds: Math.max(0, Math.round((fault.expiresAt.getTime() - now) / 1000)),
  };
}

export function buildControllerApp(deps: ControllerDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(deps.metrics));
  // Metrics carry chaos_fault_active, which names active faults: instructor-only as well.
  app.get('/metrics', requireToken(deps.instructorToken, 'instructor'), metricsHandler(deps.metrics));
  app.get('/health/live', (_req, res) => res.json({ status: 'live' }));

  const agent = express.Router();
  agent.use(requireToken(deps.agentToken, 'agent'));
  agent.get('/faults', (req, res) => {
    const { service } = parseOrThrow(agentQuery, req.query);
    res.json({ faults: agentView(deps.registry.list(), service), pollMs: deps.agentPollMs });
  });
  agent.post('/faults/:id/executed', async (req, res) => {
    const { id } = parseOrThrow(faultIdParams, req.params);
    const fault = deps.registry.get(id);
    if (!fault) throw new HttpProblem(problems.not_found, `No active fault ${id}`);
    await deps.registry.markExecuted(fault.id, `agent:${fault.spec.target}`);
    res.status(204).end();
  });
  app.use('/api/agent', agent);

  // Alerts are what trainees respond to: the list is open to everyone (it names symptoms, never
  // faults); only Alertmanager, with its own token, may add to it.
  app.get('/api/alerts', async (req, res) => {
    const { limit } = parseOrThrow(limitQuery, req.query);
    res.json({ alerts: await deps.alerts.list(limit) });
  });
  if (deps.alertsToken) {
    app.post('/api/alerts/webhook', requireToken(deps.alertsToken, 'alertmanager'), ...jsonBody('1mb'), async (req, res) => {
      const notification = parseOrThrow(webhookNotification, req.body);
      await deps.alerts.record(notification.alerts);
      res.status(204).end();
    });
  }

  const api = express.Router();
  api.use(requireToken(deps.instructorToken, 'instructor'));
  api.use(jsonBody('8kb'));
  const actor = (req: express.Request) => parseOrThrow(actorHeaders, { 'X-Firedrill-Actor': req.headers['x-firedrill-actor'] })['X-Firedrill-Actor'] ?? 'instructor';

  api.get('/openapi.json', (_req, res) => res.json(controllerOpenApiDocument));
  api.get('/catalogue', (_req, res) => res.json({ families: catalogue, defaultDuration: formatDuration(defaultDurationMs), maxDuration: formatDuration(maxDurationMs) }));
  api.get('/faults', (_req, res) => res.json({ faults: deps.registry.list().map((f) => faultView(f)) }));
  api.post('/faults', async (req, res) => {
    const { for: durationMs, ...settings } = parseOrThrow(injectRequestSchema, req.body);
    // The rest of a union loses its discriminant in TypeScript; at run time it is exactly one family's spec.
    const spec = settings as FaultSpec;
    const fault = await deps.registry.inject(spec, durationMs, actor(req)).catch((err: unknown) => {
      if (err instanceof FaultNotAppliedError) throw new HttpProblem(problems.dependency_unavailable, err.message);
      throw err;
    });
    res.status(201).location(`/api/faults/${fault.id}`).json(faultView(fault));
  });
  api.get('/faults/:id', (req, res) => {
    const { id } = parseOrThrow(faultIdParams, req.params);
    const fault = deps.registry.get(id);
    if (!fault) throw new HttpProblem(problems.not_found, `No active fault ${id}`);
    res.json(faultView(fault));
  });
  api.delete('/faults/:id', async (req, res) => {
    const { id } = parseOrThrow(faultIdParams, req.params);
    const cleared = await deps.registry.clear(id, actor(req));
    if (!cleared) throw new HttpProblem(problems.not_found, `No active fault ${id}`);
    res.json({ id, cleared: true });
  });
  api.post('/halt', async (req, res) => {
    const cleared = await deps.registry.halt(actor(req));
    res.json({ cleared });
  });
  api.get('/journal', async (req, res) => {
    const { limit } = parseOrThrow(limitQuery, req.query);
    res.json({ entries: await deps.store.journal(limit) });
  });
  app.use('/api', api);

  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}

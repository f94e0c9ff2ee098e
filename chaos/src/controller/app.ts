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
import type { TraineeGate } from './trainee-gate.ts';
import { FaultNotAppliedError, defaultDurationMs, maxDurationMs, type FaultRegistry } from './fault-registry.ts';
import type { Fault, FaultStore } from './fault-store.ts';
import { agentView } from './agent-view.ts';
import { redisMemoryPressureRefusal } from '../redis/redis-memory-pressure.ts';
import type { RedisServers } from '../redis/redis-servers.ts';
import { faultTeamRefusal } from './fault-team-rule.ts';
import { controllerOpenApiDocument } from './openapi.ts';
import { actorHeaders, agentQuery, clearReleaseBody, faultIdParams, injectRequestSchema, limitQuery } from './request-schemas.ts';
import { agentServicesOf, type AgentTracker } from './agent-tracker.ts';
import type { AgentFaultsAnswer } from '../shared/agent-protocol.ts';
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
  /** The agents polling, and which fault-set version each applied. */
  agents: AgentTracker;
  /** How long a change waits for the live agents of its target before answering anyway. */
  applyTimeoutMs: number;
  /** Tells trainees' tokens from strangers' (403 and journalled, rather than 401); without it, any other token is 401. */
  trainees?: TraineeGate | undefined;
  /** The lab's Redis servers (a class: one per team), which a redis-memory-pressure fault presses. */
  redisServers: RedisServers;
  /** A class's teams (CLASS_SHOPS), one of which every fault must name; empty for a single lab, whose faults name none. */
  classTeams: readonly string[];
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
  app.get('/metrics', requireToken(deps.instructorToken, 'instructor', deps.trainees), metricsHandler(deps.metrics));
  app.get('/health/live', (_req, res) => res.json({ status: 'live' }));

  const agent = express.Router();
  agent.use(requireToken(deps.agentToken, 'agent'));
  agent.get('/faults', async (req, res) => {
    const poll = parseOrThrow(agentQuery, req.query);
    if (poll.agent) deps.agents.report(poll.agent, poll.service, poll.applied);
    if (poll.waitMs && poll.applied === deps.registry.version) {
      // Nothing new for this agent: hold the poll until there is, or its wait runs out. While
      // held the agent counts as live; its going away (process ended) ends the hold at once.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const release = poll.agent ? deps.agents.hold(poll.agent) : () => {};
      try {
        await deps.registry.changedSince(poll.applied, poll.waitMs, gone.signal);
      } finally {
        release();
      }
      if (gone.signal.aborted) return;
    }
    const answer: AgentFaultsAnswer = {
      faults: agentView(deps.registry.list(), poll.service, poll.team),
      version: deps.registry.version,
      pollMs: deps.agentPollMs,
    };
    res.json(answer);
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
  api.use(requireToken(deps.instructorToken, 'instructor', deps.trainees));
  api.use(jsonBody('8kb'));
  // A change is answered once the agents that carry it have applied it (bounded): then the next
  // request the instructor sends already shows it. The answer names agents that have not.
  const applied = (faults: readonly Fault[]) => deps.agents.waitApplied(agentServicesOf(faults), deps.registry.version, deps.applyTimeoutMs);
  const actor = (req: express.Request) =>
    parseOrThrow(actorHeaders, { 'X-Firedrill-Actor': req.headers['x-firedrill-actor'] })['X-Firedrill-Actor'] ?? 'instructor';

  api.get('/openapi.json', (_req, res) => res.json(controllerOpenApiDocument));
  api.get('/catalogue', (_req, res) =>
    res.json({ families: catalogue, defaultDuration: formatDuration(defaultDurationMs), maxDuration: formatDuration(maxDurationMs) }),
  );
  api.get('/agents', (_req, res) => res.json({ agents: deps.agents.list(deps.registry.version) }));
  api.get('/faults', (_req, res) => res.json({ faults: deps.registry.list().map((f) => faultView(f)) }));
  api.post('/faults', async (req, res) => {
    const { for: durationMs, ...settings } = parseOrThrow(injectRequestSchema, req.body);
    // The rest of a union loses its discriminant in TypeScript; at run time it is exactly one family's spec.
    const spec = settings as FaultSpec;
    const refusal = faultTeamRefusal(spec, deps.classTeams) ?? redisMemoryPressureRefusal(spec, deps.registry.list(), deps.redisServers);
    if (refusal) throw new HttpProblem(problems.conflict, refusal);
    const fault = await deps.registry.inject(spec, durationMs, actor(req)).catch((err: unknown) => {
      if (err instanceof FaultNotAppliedError) throw new HttpProblem(problems.dependency_unavailable, err.message);
      throw err;
    });
    const agents = await applied([fault]);
    res
      .status(201)
      .location(`/api/faults/${fault.id}`)
      .json({ ...faultView(fault), agents });
  });
  api.get('/faults/:id', (req, res) => {
    const { id } = parseOrThrow(faultIdParams, req.params);
    const fault = deps.registry.get(id);
    if (!fault) throw new HttpProblem(problems.not_found, `No active fault ${id}`);
    res.json(faultView(fault));
  });
  api.delete('/faults/:id', async (req, res) => {
    const { id } = parseOrThrow(faultIdParams, req.params);
    const fault = deps.registry.get(id);
    const cleared = await deps.registry.clear(id, actor(req));
    if (!fault || !cleared) throw new HttpProblem(problems.not_found, `No active fault ${id}`);
    res.json({ id, cleared: true, agents: await applied([fault]) });
  });
  api.post('/faults/clear-release', async (req, res) => {
    const { service } = parseOrThrow(clearReleaseBody, req.body);
    const cleared = await deps.registry.clearRelease(service, actor(req));
    res.json({ service, cleared: cleared.map((f) => faultView(f)), agents: await applied(cleared) });
  });
  api.post('/halt', async (req, res) => {
    const active = deps.registry.list();
    const cleared = await deps.registry.halt(actor(req));
    res.json({ cleared, agents: await applied(active) });
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

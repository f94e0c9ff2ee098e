import path from 'node:path';
import { ServiceResources, createLogger, createPool, createRegistry, runMigrations, startHttpServer, type Logger } from '@firedrill/kit';
import { createToxiproxyClient } from '../toxiproxy/toxiproxy-client.ts';
import { reconcileNetworkFaults } from '../toxiproxy/network-faults.ts';
import { buildControllerApp } from './app.ts';
import type { ControllerConfig } from './config.ts';
import { createFaultRegistry } from './fault-registry.ts';
import { createFaultStore } from './fault-store.ts';
import { createControllerMetrics } from './metrics.ts';
import { readToken } from '../shared/token-file.ts';
import { createAlertStore } from './alert-store.ts';
import { createTraineeGate } from './trainee-gate.ts';
import { AgentTracker } from './agent-tracker.ts';
import { createRedisMemoryPressure } from '../redis/redis-memory-pressure.ts';
import { createRedisServers } from '../redis/redis-servers.ts';

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

export async function startController(config: ControllerConfig, options: { logger?: Logger } = {}) {
  const logger = options.logger ?? createLogger('chaos', config.LOG_LEVEL);
  // Closed in reverse order of opening; a failed start closes what it had opened.
  await using resources = new ServiceResources(logger);
  const pool = resources.add('postgres', createPool({ connectionString: config.LAB_DATABASE_URL, max: 5 }, logger), (p) => p.end());
  await runMigrations(pool, { schema: 'chaos', dir: migrationsDir }, logger);

  const metrics = createRegistry('chaos');
  const controllerMetrics = createControllerMetrics(metrics);
  const toxiproxy = createToxiproxyClient(config.TOXIPROXY_URL);
  const store = createFaultStore(pool);
  // The single lab's Redis, or each team's own in a class.
  const redisServers = createRedisServers(config.REDIS_ADMIN_URL, config.CLASS_SHOPS);
  const redisMemory = resources.add('redis admin connections', createRedisMemoryPressure({ servers: redisServers, store, logger }), (r) => r.close());
  const registry = createFaultRegistry({
    store,
    logger,
    onChange: async (active) => {
      controllerMetrics.update(active);
      // Both run even when one fails: a Toxiproxy outage must not keep Redis from being restored.
      const results = await Promise.allSettled([reconcileNetworkFaults(toxiproxy, active), redisMemory.reconcile(() => registry.list())]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  });
  resources.defer('fault registry', () => registry.close());
  await registry.restore();

  // Re-apply network faults now and then: a restarted Toxiproxy comes back clean. Redis changes
  // that could not be undone when their fault ended (Redis unreachable) are retried here too.
  const reconcile = setInterval(() => {
    reconcileNetworkFaults(toxiproxy, registry.list()).catch((err) => logger.warn({ err }, 'toxiproxy reconciliation failed'));
    redisMemory.reconcile(() => registry.list()).catch((err) => logger.warn({ err }, 'redis memory reconciliation failed'));
  }, config.RECONCILE_INTERVAL_MS);
  reconcile.unref();
  resources.defer('reconcile timer', () => clearInterval(reconcile));

  const app = buildControllerApp({
    registry,
    store,
    metrics,
    logger,
    instructorToken: readToken(config.INSTRUCTOR_TOKEN_FILE),
    agentToken: readToken(config.AGENT_TOKEN_FILE),
    alerts: createAlertStore(pool),
    alertsToken: config.ALERTS_TOKEN_FILE ? readToken(config.ALERTS_TOKEN_FILE) : undefined,
    agentPollMs: config.AGENT_POLL_MS,
    // An agent polls every AGENT_POLL_MS; missing a few polls in a row means its service is gone.
    agents: new AgentTracker({ liveWindowMs: Math.max(1_000, 4 * config.AGENT_POLL_MS) }),
    applyTimeoutMs: config.AGENT_APPLY_TIMEOUT_MS,
    trainees: createTraineeGate(pool, logger),
    redisServers,
    classTeams: Object.keys(config.CLASS_SHOPS),
  });
  const server = resources.add('http', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());
  // Closed before the server (reverse order): agents' held polls are answered rather than waited out.
  resources.defer('held agent polls', () => registry.answerHeldPolls());
  logger.info({ url: server.url }, 'chaos controller listening');

  // Faults stay recorded as active across a controller restart (they are restored); agents
  // revert on their own if the controller stays away (dead man's switch).
  return { url: server.url, port: server.port, registry, close: resources.handOver() };
}

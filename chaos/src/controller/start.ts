import path from 'node:path';
import {
  closer,
  createLogger,
  createPool,
  createRegistry,
  runMigrations,
  startHttpServer,
  type Logger,
} from '@firedrill/kit';
import { createToxiproxyClient } from '../toxiproxy/toxiproxy-client.ts';
import { reconcileNetworkFaults } from '../toxiproxy/network-faults.ts';
import { buildControllerApp } from './app.ts';
import type { ControllerConfig } from './config.ts';
import { createFaultRegistry } from './fault-registry.ts';
import { createFaultStore } from './fault-store.ts';
import { createControllerMetrics } from './metrics.ts';
import { readToken } from '../shared/token-file.ts';
import { createAlertStore } from './alert-store.ts';
import { AgentTracker } from './agent-tracker.ts';

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

export async function startController(config: ControllerConfig, options: { logger?: Logger } = {}) {
  const logger = options.logger ?? createLogger('chaos', config.LOG_LEVEL);
  const pool = createPool({ connectionString: config.LAB_DATABASE_URL, max: 5 }, logger);
  await runMigrations(pool, { schema: 'chaos', dir: migrationsDir }, logger);

  const metrics = createRegistry('chaos');
  const controllerMetrics = createControllerMetrics(metrics);
  const toxiproxy = createToxiproxyClient(config.TOXIPROXY_URL);
  const store = createFaultStore(pool);
  const registry = createFaultRegistry({
    store,
    logger,
    onChange: async (active) => {
      controllerMetrics.update(active);
      await reconcileNetworkFaults(toxiproxy, active);
    },
  });
  await registry.restore();

  // Re-apply network faults now and then: a restarted Toxiproxy comes back clean.
  const reconcile = setInterval(() => {
    reconcileNetworkFaults(toxiproxy, registry.list()).catch((err) => logger.warn({ err }, 'toxiproxy reconciliation failed'));
  }, config.RECONCILE_INTERVAL_MS);
  reconcile.unref();

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
  });
  const server = await startHttpServer(app, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'chaos controller listening');

  // Faults stay recorded as active across a controller restart (they are restored); agents
  // revert on their own if the controller stays away (dead man's switch).
  const close = closer(
    [
      { name: 'http', close: () => server.close() },
      { name: 'timers', close: async () => { clearInterval(reconcile); registry.close(); } },
      { name: 'postgres', close: () => pool.end() },
    ],
    logger,
  );
  return { url: server.url, port: server.port, registry, close };
}

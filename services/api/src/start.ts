import path from 'node:path';
import {
  closer,
  createLogger,
  createPool,
  createRegistry,
  migrateAtStartup,
  startHttpServer,
  type Logger,
} from '@firedrill/kit';
import { startFaultAgent, type FaultAgent } from '@firedrill/chaos/agent';
import { buildApiApp } from './app.ts';
import { createPaymentsClient } from './clients/payments-client.ts';
import type { ApiConfig } from './config.ts';
import { createApiMetrics } from './metrics.ts';
import { OutboxRelay } from './outbox/outbox-relay.ts';
import { OrderReconciler, type ReconcilePassSummary } from './reconcile/order-reconciler.ts';
import {
  createFulfilmentQueue,
  createProducerConnection,
  enqueueFulfilment,
  fulfilOrderJobName,
  pingRedis,
  queueMetricsText,
} from './queue/fulfilment-queue.ts';

export interface StartApiOptions {
  logger?: Logger;
  /** The chaos agent; by default one is made from CHAOS_URL (off when unset). */
  agent?: FaultAgent;
}

export interface RunningApi {
  url: string;
  port: number;
  /** Runs one outbox relay pass now (tests use it instead of waiting for a tick). */
  relayOutbox(): Promise<void>;
  /** Runs one order reconciliation pass now (tests use it instead of waiting a tick). */
  reconcileOrders(): Promise<ReconcilePassSummary>;
  close(): Promise<void>;
}

const migrationsDir = path.join(import.meta.dirname, '..', 'migrations');

/** Connects to Postgres (and migrates), Redis and payments, then listens. */
export async function startApi(config: Readonly<ApiConfig>, options: StartApiOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger('api', config.LOG_LEVEL);
  const registry = createRegistry('api');
  const metrics = createApiMetrics(registry);

  const pool = createPool({ connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX }, logger);
  await migrateAtStartup(pool, { schema: 'shop', dir: migrationsDir }, logger);

  const redis = createProducerConnection(config.REDIS_URL, logger);
  const queue = createFulfilmentQueue(redis, config.QUEUE_PREFIX, logger);
  const relay = new OutboxRelay({
    pool,
    pollMs: config.OUTBOX_POLL_MS,
    logger,
    metrics,
    dispatch: async (message) => {
      if (message.kind !== fulfilOrderJobName) throw new Error(`no destination for outbox kind ${message.kind}`);
      if (redis.status !== 'ready') throw new Error(`redis not connected (connection ${redis.status})`);
      await enqueueFulfilment(queue, message.orderId, { parent: message.traceContext, attempts: config.JOB_ATTEMPTS, backoffMs: 1_000 });
    },
  });

  const payments = createPaymentsClient({
    baseUrl: config.PAYMENTS_URL,
    timeoutMs: config.PAYMENTS_TIMEOUT_MS,
    attempts: config.PAYMENTS_ATTEMPTS,
    backoffMs: 100,
    logger,
    metrics,
  });

  const reconciler = new OrderReconciler({
    pool,
    payments,
    graceMs: config.RECONCILE_GRACE_MS,
    intervalMs: config.RECONCILE_INTERVAL_MS,
    logger,
    metrics,
    onOrderPaid: () => relay.kick(),
  });

  const agent = options.agent ?? startFaultAgent('api', config, logger);
  const app = buildApiApp({
    agent,
    pool,
    payments,
    logger,
    registry,
    metrics,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    readinessChecks: {
      postgres: () => pool.query('SELECT 1'),
      redis: () => pingRedis(redis),
      payments: () => payments.checkLive(config.READY_TIMEOUT_MS),
    },
    queueMetrics: () => queueMetricsText(queue),
    onOrderPaid: () => relay.kick(),
  });

  const server = await startHttpServer(app, { port: config.PORT, host: config.HOST });
  relay.start();
  reconciler.start();
  logger.info({ url: server.url, payments: config.PAYMENTS_URL }, 'api listening');

  const close = closer(
    [
      { name: 'http server', close: () => server.close() },
      // Before the relay: a pass still deciding an order may kick it.
      { name: 'order reconciler', close: () => reconciler.stop() },
      { name: 'outbox relay', close: () => relay.stop() },
      { name: 'fulfilment queue', close: () => queue.close() },
      { name: 'redis', close: async () => void redis.disconnect() },
      { name: 'postgres pool', close: () => pool.end() },
      { name: 'chaos agent', close: async () => agent.close() },
    ],
    logger,
  );
  return { url: server.url, port: server.port, relayOutbox: () => relay.runOnce(), reconcileOrders: () => reconciler.runOnce(), close };
}

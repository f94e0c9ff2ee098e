import {
  ServiceResources,
  createLogger,
  createPool,
  createRegistry,
  migrateAtStartup,
  registerBuildInfo,
  startHttpServer,
  startServiceFlags,
  type Logger,
} from '@firedrill/kit';
import { amplifiedRetryPolicy, leakPoolClients, startFaultAgent, type FaultAgent } from '@firedrill/chaos/agent';
import { shopSchema } from '@firedrill/shop-schema';
import { buildApiApp } from './app.ts';
import { createPaymentsClient } from './clients/payments-client.ts';
import { withCircuitBreaker } from './clients/payments-circuit-breaker.ts';
import type { ApiConfig } from './config.ts';
import { apiFlags } from './flags.ts';
import { createApiMetrics } from './metrics.ts';
import { OutboxRelay } from './outbox/outbox-relay.ts';
import { OrderReconciler, type ReconcilePassSummary } from './reconcile/order-reconciler.ts';
import {
  createFulfilmentQueue,
  createProducerConnection,
  enqueueFulfilments,
  fulfilOrderJobName,
  fulfilOrderRetryPolicy,
  pingRedis,
  queueMetricsText,
} from '@firedrill/queue-contract';

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

/** Connects to Postgres (and migrates), Redis and payments, then listens. */
export async function startApi(config: Readonly<ApiConfig>, options: StartApiOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger({ service: 'api', version: config.SERVICE_VERSION }, config.LOG_LEVEL);
  const registry = createRegistry('api');
  registerBuildInfo(registry, { service: 'api', version: config.SERVICE_VERSION });
  const metrics = createApiMetrics(registry);

  // Closed in reverse order of opening: the server stops taking requests first, the pool last.
  await using resources = new ServiceResources(logger);
  const agent = resources.add('chaos agent', options.agent ?? startFaultAgent('api', config, logger), (a) => a.close());
  const serviceFlags = resources.add('flags', await startServiceFlags('api', config, logger), (f) => f.close());
  const flags = apiFlags(
    serviceFlags.client,
    { timeoutMs: config.PAYMENTS_TIMEOUT_MS, attempts: config.PAYMENTS_ATTEMPTS, reconcileGraceMs: config.RECONCILE_GRACE_MS },
    logger,
  );
  const pool = resources.add('postgres pool', createPool({ connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX }, logger), (p) => p.end());
  await migrateAtStartup(pool, shopSchema, logger);
  // The chaos agent's one connection path (pool-leak); closed before the pool, which waits for its clients.
  resources.add('pool leak', leakPoolClients(pool, agent, { logger }), (l) => l.close());

  const redis = resources.add('redis', createProducerConnection(config.REDIS_URL, logger), (r) => r.disconnect());
  const queue = resources.add('fulfilment queue', createFulfilmentQueue(redis, config.QUEUE_PREFIX, logger), (q) => q.close());
  const relay = new OutboxRelay({
    pool,
    pollMs: config.OUTBOX_POLL_MS,
    logger,
    metrics,
    dispatch: async (messages) => {
      // The only kind the shop writes (markOrderPaid); anything else is a bug to be seen, not skipped.
      const other = messages.find((message) => message.kind !== fulfilOrderJobName);
      if (other) throw new Error(`no destination for outbox kind ${other.kind}`);
      if (redis.status !== 'ready') throw new Error(`redis not connected (connection ${redis.status})`);
      await enqueueFulfilments(
        queue,
        messages.map((message) => ({ orderId: message.orderId, parent: message.traceContext })),
        { attempts: config.JOB_ATTEMPTS, backoffMs: fulfilOrderRetryPolicy.backoffMs },
      );
    },
  });

  const payments = withCircuitBreaker(
    createPaymentsClient({
      baseUrl: config.PAYMENTS_URL,
      timeoutMs: config.PAYMENTS_TIMEOUT_MS,
      attempts: config.PAYMENTS_ATTEMPTS,
      callSettings: flags.paymentCall,
      retryPolicy: () => amplifiedRetryPolicy(agent),
      backoffMs: 100,
      logger,
      metrics,
    }),
    {
      enabled: flags.paymentsCircuitBreaker,
      failureThreshold: config.PAYMENTS_BREAKER_FAILURES,
      openMs: config.PAYMENTS_BREAKER_OPEN_MS,
      metrics,
      logger,
    },
  );

  const reconciler = new OrderReconciler({
    pool,
    payments,
    graceMs: config.RECONCILE_GRACE_MS,
    intervalMs: config.RECONCILE_INTERVAL_MS,
    logger,
    metrics,
    onOrderPaid: () => relay.kick(),
  });

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
    checkoutPaused: flags.checkoutPaused,
  });

  relay.start();
  resources.defer('outbox relay', () => relay.stop());
  reconciler.start();
  // Closed before the relay: a pass still deciding an order may kick it.
  resources.defer('order reconciler', () => reconciler.stop());
  const server = resources.add('http server', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());
  logger.info({ url: server.url, payments: config.PAYMENTS_URL, flags: config.FLAGS_URL ?? 'defaults' }, 'api listening');

  return {
    url: server.url,
    port: server.port,
    relayOutbox: () => relay.runOnce(),
    reconcileOrders: () => reconciler.runOnce(),
    close: resources.handOver(),
  };
}

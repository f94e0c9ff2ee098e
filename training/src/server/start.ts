import path from 'node:path';
import { Redis } from 'ioredis';
import { ServiceResources, createLogger, createPool, createRegistry, migrateAtStartup, readToken, startHttpServer, type Logger } from '@firedrill/kit';
import { logConnectionChanges, reconnectForEver } from '@firedrill/queue-contract';
import { createEventStore } from '../events/event-store.ts';
import { createFlagStore } from '../flags/flag-store.ts';
import { createLeverService } from '../levers/lever-service.ts';
import { createRedisLevers } from '../levers/redis-levers.ts';
import { createDeployMetrics } from '../releases/deploy-metrics.ts';
import { createReleaseService } from '../releases/release-service.ts';
import { createReleaseStore } from '../releases/release-store.ts';
import { createSupervisorClient } from '../releases/supervisor-client.ts';
import { buildTrainingApp } from './app.ts';
import type { TrainingConfig } from './config.ts';

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

export interface RunningTraining {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Tokens → pool → migrations → stores → levers → listen. close() stops taking requests, then
 * closes Redis and the pool; a failed start closes whatever it had opened.
 */
export async function startTraining(config: Readonly<TrainingConfig>, options: { logger?: Logger } = {}): Promise<RunningTraining> {
  const logger = options.logger ?? createLogger('training', config.LOG_LEVEL);
  const tokens = {
    instructor: readToken(config.INSTRUCTOR_TOKEN_FILE),
    operator: readToken(config.OPERATOR_TOKEN_FILE),
    agent: readToken(config.AGENT_TOKEN_FILE),
  };
  await using resources = new ServiceResources(logger);
  const pool = resources.add('postgres pool', createPool({ connectionString: config.LAB_DATABASE_URL, max: 5 }, logger), (p) => p.end());
  await migrateAtStartup(pool, { schema: 'training', dir: migrationsDir }, logger);
  // Levers answer at once when Redis is away rather than queueing commands for later.
  const redis = resources.add(
    'redis',
    new Redis(config.REDIS_URL, { ...reconnectForEver, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 }),
    (r) => r.disconnect(),
  );
  logConnectionChanges(redis, logger, 'redis (levers)');

  const registry = createRegistry('training');
  const events = createEventStore(pool);
  const flags = await createFlagStore(pool, events);
  const releaseStore = createReleaseStore(pool);
  const supervisor = config.SUPERVISOR_URL ? createSupervisorClient(config.SUPERVISOR_URL) : undefined;
  const releases = createReleaseService({ pool, store: releaseStore, events, metrics: createDeployMetrics(registry), supervisor });
  await releases.restoreMetrics();
  const levers = createLeverService({
    events,
    flags,
    releases,
    supervisor,
    redis,
    redisLevers: createRedisLevers(redis, config.QUEUE_PREFIX),
    queuePrefix: config.QUEUE_PREFIX,
    shopAdminDatabaseUrl: config.SHOP_ADMIN_DATABASE_URL,
    deadLetterLockWaitMs: config.DEAD_LETTER_LOCK_WAIT_MS,
  });

  const app = buildTrainingApp({
    tokens,
    registry,
    logger,
    flags,
    releases,
    releaseStore,
    levers,
    events,
    // Only the lab's database: the levers' stores are the shop's, whose outages are the lab's subject.
    readyChecks: { postgres: () => pool.query('SELECT 1') },
    readyTimeoutMs: 1_000,
  });
  const server = resources.add('http server', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());
  logger.info({ url: server.url, openapi: `${server.url}/api/openapi.json`, supervisor: config.SUPERVISOR_URL ?? null }, 'training listening');
  return { url: server.url, port: server.port, close: resources.handOver() };
}

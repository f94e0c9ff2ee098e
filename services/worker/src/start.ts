import { ServiceResources, createLogger, createPool, createRegistry, registerBuildInfo, startHttpServer, type Logger } from '@firedrill/kit';
import { createFulfilmentQueue, createProducerConnection, fulfilOrderJobName, pingRedis, queueMetricsText } from '@firedrill/queue-contract';
import { startFaultAgent, watchForCrashLoop, watchForExit, withProcessFaults, type FaultAgent } from '@firedrill/chaos/agent';
import type { WorkerConfig } from './config.ts';
import { buildHealthApp } from './health-server.ts';
import { createFulfilOrderProcessor } from './jobs/fulfil-order-job.ts';
import { wrapJob } from './jobs/job-wrapper.ts';
import { createWorkerMetrics } from './metrics.ts';
import { FulfilmentWorker } from './worker.ts';

export interface StartWorkerOptions {
  logger?: Logger;
  /** The chaos agent; by default one is made from CHAOS_URL (off when unset). */
  agent?: FaultAgent;
  /** How a process fault ends the process; tests replace it. */
  exit?: (code: number) => void;
}

export interface RunningWorker {
  /** The health and metrics server. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts consuming the fulfilment queue and serving health and metrics. It does not wait for
 * Postgres or Redis: BullMQ reconnects by itself, and readiness says what is missing meanwhile.
 */
export async function startWorker(config: Readonly<WorkerConfig>, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger({ service: 'worker', version: config.SERVICE_VERSION }, config.LOG_LEVEL);
  const registry = createRegistry('worker');
  registerBuildInfo(registry, { service: 'worker', version: config.SERVICE_VERSION });
  const metrics = createWorkerMetrics(registry);
  // Closed in reverse order of registration: the agent first (so no process fault holds a job),
  // then the consumer, and the pool last. A failed start closes whatever was opened.
  await using resources = new ServiceResources(logger);
  const pool = resources.add('postgres pool', createPool({ connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX }, logger), (p) => p.end());
  const agent = resources.add('chaos agent', options.agent ?? startFaultAgent('worker', config, logger), (a) => a.close());
  const faultOptions = { logger, ...(options.exit && { exit: options.exit }) };
  const fulfilOrder = createFulfilOrderProcessor({ pool, medianDurationMs: config.FULFIL_DURATION_MS, metrics, logger });

  // A second, fail-fast connection for probes and queue counts, so /metrics and /health/ready
  // answer at once when Redis is down instead of queueing behind the worker's reconnects.
  const probeRedis = resources.add('redis probe connection', createProducerConnection(config.REDIS_URL, logger, 'redis (probes)'), (r) => r.disconnect());
  const queue = resources.add('queue metrics', createFulfilmentQueue(probeRedis, config.QUEUE_PREFIX, logger), (q) => q.close());

  const app = buildHealthApp({
    registry,
    logger,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    checks: {
      postgres: () => pool.query('SELECT 1'),
      redis: () => pingRedis(probeRedis),
    },
    extraMetrics: () => queueMetricsText(queue),
  });
  const server = resources.add('health server', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());

  // Set by a timer on the event loop: if the loop is blocked the gauge goes stale, which is how
  // a hung-but-alive worker is told apart from an idle one.
  const beat = () => metrics.heartbeat.set(Date.now() / 1000);
  beat();
  const heartbeat = setInterval(beat, config.HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  resources.defer('heartbeat', () => clearInterval(heartbeat));

  const worker = resources.add(
    'bullmq worker',
    new FulfilmentWorker({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDurationMs: config.JOB_LOCK_MS,
      stalledIntervalMs: config.STALLED_INTERVAL_MS,
      // Process faults (hang, slow, crash-loop) act in this one wrapper, inside the timing.
      processor: wrapJob(withProcessFaults(agent, fulfilOrder, faultOptions), { metrics, logger }),
      logger,
    }),
    (w) => w.close(),
  );
  const stopWatchingExit = watchForExit(agent, { ...faultOptions, beforeExit: () => worker.close() });
  const stopWatchingCrashLoop = watchForCrashLoop(
    agent,
    async (jobId, data) => void (await queue.add(fulfilOrderJobName, data as never, { jobId, attempts: 1 })),
    logger,
  );
  // First to close: the watchers and the agent (closing it twice is harmless).
  resources.defer('chaos agent and its watchers', () => {
    stopWatchingExit();
    stopWatchingCrashLoop();
    agent.close();
  });
  logger.info({ url: server.url, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  return { url: server.url, port: server.port, close: resources.handOver() };
}

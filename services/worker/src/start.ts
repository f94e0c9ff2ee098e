import { closer, createLogger, createPool, createRegistry, startHttpServer, type Logger } from '@firedrill/kit';
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

const readyTimeoutMs = 1_000;

/**
 * Starts consuming the fulfilment queue and serving health and metrics. It does not wait for
 * Postgres or Redis: BullMQ reconnects by itself, and readiness says what is missing meanwhile.
 */
export async function startWorker(config: Readonly<WorkerConfig>, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger('worker', config.LOG_LEVEL);
  const registry = createRegistry('worker');
  const metrics = createWorkerMetrics(registry);
  const pool = createPool({ connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX }, logger);
  const agent = options.agent ?? startFaultAgent('worker', config, logger);
  const faultOptions = { logger, ...(options.exit && { exit: options.exit }) };
  const fulfilOrder = createFulfilOrderProcessor({ pool, medianDurationMs: config.FULFIL_DURATION_MS, metrics, logger });

  const worker = new FulfilmentWorker({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.STALLED_INTERVAL_MS,
    // Process faults (hang, slow, crash-loop) act in this one wrapper, inside the timing.
    processor: wrapJob(withProcessFaults(agent, fulfilOrder, faultOptions), { metrics, logger }),
    logger,
  });

  // A second, fail-fast connection for probes and queue counts, so /metrics and /health/ready
  // answer at once when Redis is down instead of queueing behind the worker's reconnects.
  const probeRedis = createProducerConnection(config.REDIS_URL, logger, 'redis (probes)');
  const queue = createFulfilmentQueue(probeRedis, config.QUEUE_PREFIX, logger);
  const stopWatchingExit = watchForExit(agent, { ...faultOptions, beforeExit: () => worker.close() });
  const stopWatchingCrashLoop = watchForCrashLoop(agent, async (jobId, data) => void (await queue.add(fulfilOrderJobName, data as never, { jobId, attempts: 1 })), logger);

  // Set by a timer on the event loop: if the loop is blocked the gauge goes stale, which is how
  // a hung-but-alive worker is told apart from an idle one.
  const beat = () => metrics.heartbeat.set(Date.now() / 1000);
  beat();
  const heartbeat = setInterval(beat, config.HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  const app = buildHealthApp({
    registry,
    logger,
    readyTimeoutMs,
    checks: {
      postgres: () => pool.query('SELECT 1'),
      redis: () => pingRedis(probeRedis),
    },
    extraMetrics: () => queueMetricsText(queue),
  });
  const server = await startHttpServer(app, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  const close = closer(
    [
      { name: 'chaos agent', close: async () => { stopWatchingExit(); stopWatchingCrashLoop(); agent.close(); } },
      { name: 'bullmq worker', close: () => worker.close() },
      { name: 'heartbeat', close: async () => clearInterval(heartbeat) },
      { name: 'health server', close: () => server.close() },
      { name: 'queue metrics', close: () => queue.close() },
      { name: 'redis probe connection', close: async () => void probeRedis.disconnect() },
      { name: 'postgres pool', close: () => pool.end() },
    ],
    logger,
  );
  return { url: server.url, port: server.port, close };
}

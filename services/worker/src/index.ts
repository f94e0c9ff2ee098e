export { startWorker, type RunningWorker, type StartWorkerOptions } from './start.ts';
export { workerConfigSchema, loadWorkerConfig, type WorkerConfig } from './config.ts';
export { createWorkerMetrics } from './metrics.ts';

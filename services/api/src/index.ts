export { startApi, type RunningApi, type StartApiOptions } from './start.ts';
export { buildApiApp, type ApiDeps } from './app.ts';
export { apiConfigSchema, loadApiConfig, type ApiConfig } from './config.ts';
export { createApiMetrics } from './metrics.ts';
export { exportDependencyHealth } from './routes/health-routes.ts';

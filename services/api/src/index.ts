export { startApi, type RunningApi, type StartApiOptions } from './start.ts';
export { buildApiApp, type ApiDeps } from './app.ts';
export { apiConfigSchema, loadApiConfig, type ApiConfig } from './config.ts';

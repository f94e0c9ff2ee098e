export { startHttpServer, type RunningServer } from './http-server.ts';
export { exitOnSignals } from './graceful-shutdown.ts';
export { jsonBody } from './json-body.ts';
export { healthRoutes, runChecks, livenessSchema, readinessSchema, type DependencyCheck, type CheckResult } from './health-routes.ts';
export * from './change-waiters.ts';

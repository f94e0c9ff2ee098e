export { createRegistry, httpMetricsMiddleware, metricsHandler, latencyBuckets, prom, type Registry } from './create-metrics.ts';

export { routeTemplateOf } from './route-templates.ts';
export { createRegistry, httpMetricsMiddleware, metricsHandler, latencyBuckets, prom, type Registry } from './create-metrics.ts';

export { routeTemplateOf } from './route-templates.ts';
export { createRegistry, httpMetricsMiddleware, metricsHandler, latencyBuckets, prom, type Registry } from './create-metrics.ts';
export { registerCounter, registerGauge, registerHistogram } from './registered-metrics.ts';
export { registerBuildInfo } from './build-info.ts';

/**
 * What the kit may import: the definition type, the generic HTTP metrics and the build-info
 * metric. The kit serves every process, the shop's and the lab's, so shop-specific names stay out
 * of its reach.
 */
export * from './metric-definition.ts';
export { buildMetrics } from './build-metrics.ts';
export { httpMetrics } from './http-metrics.ts';

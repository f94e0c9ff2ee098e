/**
 * What the kit may import: the definition type and the generic HTTP metrics. The kit serves every
 * process, the shop's and the lab's, so shop-specific names stay out of its reach.
 */
export * from './metric-definition.ts';
export { httpMetrics } from './http-metrics.ts';

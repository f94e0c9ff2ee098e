import { counter, histogram } from './metric-definition.ts';

/**
 * RED metrics every HTTP process exports through the kit's middleware, per route template (never
 * the raw path, so cardinality stays bounded). Generic: nothing here knows about the shop.
 */
export const httpMetrics = {
  requests: counter('http_requests_total', 'HTTP requests answered, by route template and status code.', ['method', 'route', 'status_code']),
  requestDuration: histogram('http_request_duration_seconds', 'HTTP request duration by route template and status code.', ['method', 'route', 'status_code']),
} as const;

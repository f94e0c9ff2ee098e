import { z } from 'zod';
import { livenessSchema, readinessSchema } from '../http/health-routes.ts';
import type { OperationSpec } from './openapi-document.ts';

/** GET <prefix>/live and GET <prefix>/ready, as healthRoutes() serves them. */
export function healthOperations(prefix: string): OperationSpec[] {
  return [
    { method: 'get', path: `${prefix}/live`, summary: 'Liveness: the process answers', responses: { 200: { description: 'Alive', schema: livenessSchema } } },
    {
      method: 'get',
      path: `${prefix}/ready`,
      summary: 'Readiness: every dependency answers, each named with its check',
      responses: {
        200: { description: 'Ready', schema: readinessSchema },
        503: { description: 'A dependency does not answer; `checks` says which', schema: readinessSchema },
      },
    },
  ];
}

/** GET /metrics in the Prometheus text format. */
export function metricsOperation(path = '/metrics'): OperationSpec {
  return {
    method: 'get',
    path,
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain', schema: z.string() } },
  };
}

/** The document itself, served as JSON at `path`. */
export function openApiOperation(path: string): OperationSpec {
  return {
    method: 'get',
    path,
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
  };
}

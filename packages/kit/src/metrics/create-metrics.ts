import client from 'prom-client';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { httpMetrics } from '@firedrill/conventions/generic';
import { registerCounter, registerHistogram } from './registered-metrics.ts';
import { routeTemplateOf } from './route-templates.ts';

export type Registry = client.Registry;

/** A registry per process, with Node's default metrics and a `service` label on every series. */
export function createRegistry(service: string): client.Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets (seconds) fine enough to see a 10 ms shift at the low end and 10 s timeouts. */
export const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

/**
 * RED metrics per route template (`/api/orders/:id`, never the raw path, so cardinality stays
 * bounded). Unmatched paths are counted under route="unmatched".
 */
export function httpMetricsMiddleware(registry: client.Registry): RequestHandler {
  const requests = registerCounter(registry, httpMetrics.requests);
  const duration = registerHistogram(registry, httpMetrics.requestDuration, { buckets: latencyBuckets });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeTemplateOf(req) ?? 'unmatched', status_code: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}

/** GET /metrics: the registry in Prometheus text format, plus any extra text (BullMQ's export). */
export function metricsHandler(registry: client.Registry, extra?: () => Promise<string>): RequestHandler {
  return async (_req, res, next) => {
    try {
      let body = await registry.metrics();
      if (extra) body += `\n${await extra()}\n`;
      res.type(registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  };
}

export { client as prom };

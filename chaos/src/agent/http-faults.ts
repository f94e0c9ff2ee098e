import type { RequestHandler } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProblem, routeTemplateOf } from '@firedrill/kit';
import type { FaultAgent } from './fault-agent.ts';

/**
 * The one middleware through which request-level faults reach a service: latency (ms ± jitter on
 * a share of requests), 5xx errors, and — in payments — charges that hang past the caller's
 * timeout or find the service unreachable. Health and metrics endpoints are never touched, so
 * the lab can still observe a service it is breaking. Answers look like real failures: nothing
 * in them tells a trainee a fault was injected.
 */
export function httpFaults(agent: FaultAgent, random: () => number = Math.random): RequestHandler {
  if (!agent.enabled) return (_req, _res, next) => next();
  return async (req, res, next) => {
    if (/\/(health|metrics)(\/|$)/.test(req.path)) return next();
    const route = `${req.method} ${routeTemplateOf(req) ?? req.path}`;
    const applies = (fault: { route?: string | undefined; rate: number }) => (!fault.route || fault.route === route) && random() < fault.rate;

    for (const fault of agent.active('latency')) {
      if (!applies(fault)) continue;
      const jitter = fault.jitterMs ? (random() * 2 - 1) * fault.jitterMs : 0;
      await sleep(Math.max(0, fault.ms + jitter));
    }
    for (const fault of agent.active('errors')) {
      if (!applies(fault)) continue;
      const code = fault.status === 503 ? 'dependency_unavailable' : 'internal_error';
      res.status(fault.status).type('application/problem+json').json({ ...new HttpProblem(code).toBody(), status: fault.status });
      return;
    }
    if (route === 'POST /payments/charges') {
      for (const fault of agent.active('payment-failures')) {
        if (fault.mode === 'unreachable' && random() < fault.rate) {
          req.socket.destroy(); // the caller sees a reset connection, as with a dead host
          return;
        }
        if (fault.mode === 'timeout' && random() < fault.rate) {
          // Hold the request until the caller has long given up, then drop it.
          await sleep(30_000);
          req.socket.destroy();
          return;
        }
      }
    }
    next();
  };
}

/**
 * The card gateway's hook: whether this charge should be declined or fail at the gateway.
 * Acting inside the gateway keeps the charge record, metrics and gateway status truthful.
 */
export function gatewayFault(agent: FaultAgent, random: () => number = Math.random): 'declined' | 'gateway-error' | undefined {
  for (const fault of agent.active('payment-failures')) {
    if ((fault.mode === 'declined' || fault.mode === 'gateway-error') && random() < fault.rate) return fault.mode;
  }
  return undefined;
}

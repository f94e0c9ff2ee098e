import type { RequestHandler } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProblem, problems, routeTemplateOf } from '@firedrill/kit';
import type { FaultAgent } from './fault-agent.ts';

/**
 * The one middleware through which request-level faults reach a service: latency (ms ± jitter on
 * a share of requests), 5xx errors, and the per-request part of a memory leak. Health and metrics endpoints are never touched, so
 * the lab can still observe a service it is breaking. Answers look like real failures: nothing
 * in them tells a trainee a fault was injected.
 */
export function httpFaults(agent: FaultAgent, random: () => number = Math.random): RequestHandler {
  if (!agent.enabled) return (_req, _res, next) => next();
  return async (req, res, next) => {
    // Most of the time no fault is active: one property read, then straight on.
    if (agent.idle || /\/(health|metrics)(\/|$)/.test(req.path)) return next();
    // A memory leak on the request path: what a per-request cache that is never evicted does.
    agent.heapLeak.onRequest();
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
      res
        .status(fault.status)
        .type('application/problem+json')
        .json({ ...new HttpProblem(problems[code]).toBody(), status: fault.status });
      return;
    }
    next();
  };
}

export type GatewayFaultMode = 'declined' | 'gateway-error' | 'timeout' | 'unreachable';

/**
 * The card gateway's hook: whether this charge should be declined, fail at the gateway, hang
 * past the payment service's timeout, or find the gateway unreachable. Acting inside the gateway
 * keeps the charge record, payment metrics and /payments/gateway/status truthful.
 */
export function gatewayFault(agent: FaultAgent, random: () => number = Math.random): GatewayFaultMode | undefined {
  for (const fault of agent.active('payment-failures')) {
    if (random() < fault.rate) return fault.mode;
  }
  return undefined;
}

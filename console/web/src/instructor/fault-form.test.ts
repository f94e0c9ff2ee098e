import { describe, expect, it } from 'vitest';
import { describeFault, faultPlace, faultRequest, freeSettings } from './fault-form.ts';
import type { FaultFamily } from './instructor-types.ts';

// As the chaos controller's GET /api/catalogue serves them (chaos/src/faults/catalogue.ts).
const latency: FaultFamily = {
  family: 'latency',
  summary: 'Delays requests to a service (optionally one route) by ms ± jitter, on a share of requests.',
  targets: ['api', 'payments'],
  settings: { target: 'required', route: 'optional, e.g. "POST /api/orders"', ms: 'required, 1–60000', jitterMs: 'default 0', rate: 'default 1' },
  symptoms: 'p95/p99 latency rises on the target and on its callers.',
};
const workerDeath: FaultFamily = {
  family: 'worker-death',
  summary: 'The worker exits and stays down.',
  targets: ['worker'],
  modes: ['exit', 'hang', 'crash-loop', 'slow'],
  settings: { mode: 'required', factor: 'for slow, default 10' },
  symptoms: 'Queue depth and job age climb.',
};

describe('the curveball form', () => {
  it('when a family is chosen, then its settings other than target and mode are text fields, required ones marked', () => {
    expect(freeSettings(latency)).toEqual([
      { name: 'route', hint: 'optional, e.g. "POST /api/orders"', required: false },
      { name: 'ms', hint: 'required, 1–60000', required: true },
      { name: 'jitterMs', hint: 'default 0', required: false },
      { name: 'rate', hint: 'default 1', required: false },
    ]);
  });

  it('when filled in, then the body has numbers as numbers, empty settings left to their defaults, and the duration', () => {
    expect(faultRequest(latency, { target: 'payments', ms: '300', rate: '0.5', route: '', for: '5m' })).toEqual({
      ok: true,
      body: { family: 'latency', target: 'payments', ms: 300, rate: 0.5, for: '5m' },
    });
    expect(faultRequest(workerDeath, { mode: 'hang', for: '90' })).toEqual({
      ok: true,
      body: { family: 'worker-death', target: 'worker', mode: 'hang', for: 90 },
    });
  });

  it("when a class's team is picked, then the body names it, and the confirmation says it is that team's shop", () => {
    const request = faultRequest(latency, { team: 'blue', target: 'payments', ms: '300', for: '5m' });
    expect(request).toEqual({ ok: true, body: { family: 'latency', team: 'blue', target: 'payments', ms: 300, for: '5m' } });
    expect(describeFault(latency, (request as { body: Record<string, string | number> }).body)).toMatch(
      /^Inject latency on blue's payments \(ms 300\) for 5m: /,
    );
    expect(faultPlace({ team: 'green', target: 'worker' })).toBe("green's worker");
    expect(faultPlace({ target: 'worker' })).toBe('worker');
  });

  it('when a required setting, the target, the mode or the duration is missing, then it says which', () => {
    expect(faultRequest(latency, { target: '', ms: '', for: '' })).toEqual({
      ok: false,
      errors: ['Choose a target', 'ms is required (required, 1–60000)', 'Say how long the fault lasts, e.g. 5m'],
    });
    expect(faultRequest(workerDeath, { for: '5m' })).toEqual({ ok: false, errors: ['Choose a mode'] });
  });

  it('when confirming, then the sentence says what, where, for how long and what trainees will see', () => {
    expect(describeFault(latency, { family: 'latency', target: 'payments', ms: 300, for: '5m' })).toBe(
      'Inject latency on payments (ms 300) for 5m: Delays requests to a service (optionally one route) by ms ± jitter, on a share of requests. ' +
        'Trainees will see: p95/p99 latency rises on the target and on its callers. It reverts by itself after 5m, or when cleared.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { faultSpec } from '../faults/catalogue.ts';
import { agentView } from './agent-view.ts';
import type { Fault } from './fault-store.ts';

const fault = (id: string, spec: unknown, executedAt: Date | null = null): Fault => ({
  id,
  spec: faultSpec.parse(spec),
  createdBy: 'test',
  createdAt: new Date(0),
  expiresAt: new Date(60_000),
  executedAt,
});

describe('agentView', () => {
  const faults = [
    fault('lat', { family: 'latency', target: 'api', ms: 100 }),
    fault('pay', { family: 'payment-failures', mode: 'declined' }),
    fault('db', { family: 'database-loss' }),
    fault('exit-done', { family: 'worker-death', mode: 'exit' }, new Date(1)),
    fault('hang', { family: 'worker-death', mode: 'hang' }),
  ];

  it('when a service asks, then it gets only its own faults', () => {
    expect(agentView(faults, 'api').map((f) => f.id)).toEqual(['lat']);
    expect(agentView(faults, 'payments').map((f) => f.id)).toEqual(['pay']);
  });

  it('when a worker exit was already carried out, then a restarted worker is not told again', () => {
    expect(agentView(faults, 'worker').map((f) => f.id)).toEqual(['hang']);
  });
});

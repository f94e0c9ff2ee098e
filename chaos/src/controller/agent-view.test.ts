import { describe, expect, it } from 'vitest';
import { agentView } from './agent-view.ts';
import { faultSpec } from '../faults/catalogue.ts';
import { testFault as fault } from './fault.fixture.ts';

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

  it('when a class runs, then a team’s agent gets only its team’s faults, and an agent without a team none of them', () => {
    const classFaults = [
      fault('blue-slow', { family: 'latency', target: 'payments', ms: 300, team: 'blue' }),
      fault('green-decline', { family: 'payment-failures', mode: 'declined', team: 'green' }),
    ];
    expect(agentView(classFaults, 'payments', 'blue').map((f) => f.id)).toEqual(['blue-slow']);
    expect(agentView(classFaults, 'payments', 'green').map((f) => f.id)).toEqual(['green-decline']);
    expect(agentView(classFaults, 'payments', 'red')).toEqual([]);
    expect(agentView(classFaults, 'payments')).toEqual([]);
    // …and a team's agent never receives the single shop's faults.
    expect(agentView(faults, 'api', 'blue')).toEqual([]);
  });

  it('refuses a team name that could not be a team', () => {
    expect(() => faultSpec.parse({ family: 'latency', target: 'api', ms: 1, team: 'Blue team' })).toThrow(/team name/);
  });
});

import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../faults/catalogue.ts';
import { AgentTracker, agentServicesOf } from './agent-tracker.ts';

const spec = (s: Partial<FaultSpec> & Pick<FaultSpec, 'family' | 'target'>) => ({ spec: s as FaultSpec });

describe('agentServicesOf', () => {
  it("when faults are carried by agents and by Toxiproxy, then only the agents' services are named, once each", () => {
    const services = agentServicesOf([
      spec({ family: 'latency', target: 'api' }),
      spec({ family: 'errors', target: 'api' }),
      spec({ family: 'payment-failures', target: 'payments' }),
      spec({ family: 'database-loss', target: 'postgres' }),
    ]);
    expect(services.sort()).toEqual(['api', 'payments']);
  });
});

describe('AgentTracker.waitApplied', () => {
  it('when every live agent of the service already applied the version, then it answers at once', async () => {
    const tracker = new AgentTracker({ liveWindowMs: 1_000 });
    tracker.report('api@a:1', 'api', 7);
    tracker.report('payments@a:1', 'payments', 3); // another service: not waited for

    expect(await tracker.waitApplied(['api'], 7, 60_000)).toEqual([{ agent: 'api@a:1', service: 'api', applied: true }]);
  });

  it('when an agent reports the version later, then the wait ends with that report', async () => {
    const tracker = new AgentTracker({ liveWindowMs: 1_000 });
    tracker.report('api@a:1', 'api', 6);
    const waiting = tracker.waitApplied(['api'], 7, 60_000);

    tracker.report('api@a:1', 'api', 7);

    expect(await waiting).toEqual([{ agent: 'api@a:1', service: 'api', applied: true }]);
  });

  it('when an agent never reports the version, then the bounded wait ends naming it as not applied', async () => {
    const tracker = new AgentTracker({ liveWindowMs: 1_000 });
    tracker.report('api@a:1', 'api', 6);
    tracker.report('api@b:2', 'api', 6);
    const waiting = tracker.waitApplied(['api'], 7, 20);
    tracker.report('api@b:2', 'api', 7);

    expect(await waiting).toEqual([
      { agent: 'api@a:1', service: 'api', applied: false },
      { agent: 'api@b:2', service: 'api', applied: true },
    ]);
  });

  it('when an agent has been silent longer than the live window, then it is not waited for', async () => {
    let now = 0;
    const tracker = new AgentTracker({ liveWindowMs: 1_000, now: () => now });
    tracker.report('worker@a:1', 'worker', 6);
    now = 5_000;

    expect(await tracker.waitApplied(['worker'], 7, 60_000)).toEqual([]);
  });

  it('when an agent falls silent during the wait and a new agent of its service polls (it crashed and restarted), then it is dropped, not reported as failing', async () => {
    let now = 0;
    const tracker = new AgentTracker({ liveWindowMs: 20, now: () => now });
    tracker.report('worker@a:1', 'worker', 6); // about to crash
    const waiting = tracker.waitApplied(['worker'], 7, 60_000);
    now = 100; // worker@a:1 has not polled for longer than the live window…
    tracker.report('worker@a:2', 'worker', 7); // …and its replacement carries the change out

    expect(await waiting).toEqual([{ agent: 'worker@a:2', service: 'worker', applied: true }]);
  });

  it('when an agent falls silent during the wait with no replacement (its service hangs), then the bounded wait names it as not applied', async () => {
    let now = 0;
    const tracker = new AgentTracker({ liveWindowMs: 20, now: () => now });
    tracker.report('worker@a:1', 'worker', 6);
    const waiting = tracker.waitApplied(['worker'], 7, 100);
    now = 100;

    expect(await waiting).toEqual([{ agent: 'worker@a:1', service: 'worker', applied: false }]);
  });
});

describe('AgentTracker.hold', () => {
  it('when an agent’s poll is held past the live window, then it stays live until released, and the release counts as contact', () => {
    let now = 0;
    const tracker = new AgentTracker({ liveWindowMs: 1_000, now: () => now });
    tracker.report('api@a:1', 'api', 7);
    const release = tracker.hold('api@a:1');

    now = 4_000;
    expect(tracker.live(['api']).map((a) => a.agent)).toEqual(['api@a:1']);

    release();
    now = 4_900;
    expect(tracker.live(['api']).map((a) => a.agent)).toEqual(['api@a:1']);
    now = 5_100;
    expect(tracker.live(['api'])).toEqual([]);
  });
});

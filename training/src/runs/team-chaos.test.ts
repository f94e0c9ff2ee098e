import type { AlertRecord } from '@firedrill/chaos';
import { describe, expect, it } from 'vitest';
import type { ActiveFault, ChaosClient } from './chaos-client.ts';
import { chaosForTeam } from './team-chaos.ts';

const alert = (alertname: string, labels: Record<string, string>): AlertRecord => ({
  alertname,
  severity: 'page',
  status: 'firing',
  labels: { alertname, ...labels },
  summary: null,
  firedAt: '2026-11-29T12:00:00.000Z',
  resolvedAt: null,
  receivedAt: '2026-11-29T12:00:01.000Z',
});

/** A controller in memory: what was injected and cleared, and a fixed list of alerts. */
function fakeChaos(faults: ActiveFault[], alerts: AlertRecord[]) {
  const injected: Record<string, unknown>[] = [];
  const cleared: string[] = [];
  let halted = 0;
  const client: ChaosClient = {
    activeFaults: async () => faults.filter((f) => !cleared.includes(f.id)),
    inject: async (fault) => {
      injected.push(fault);
      return { id: `f${injected.length}`, family: String(fault.family) };
    },
    clear: async (id) => {
      cleared.push(id);
      return true;
    },
    clearRelease: async () => [],
    halt: async () => {
      halted++;
      return { cleared: faults.length };
    },
    alerts: async () => alerts,
  };
  return { client, injected, cleared, halted: () => halted };
}

const faults: ActiveFault[] = [
  { id: 'b1', family: 'latency', team: 'blue' },
  { id: 'g1', family: 'latency', team: 'green', release: { service: 'payments', version: '2.4.0' } },
  { id: 'b2', family: 'errors', team: 'blue', release: { service: 'payments', version: '2.4.0' } },
];
const alerts = [alert('ApiHighLatencyP95', { team: 'blue' }), alert('ApiHighLatencyP95', { team: 'green' }), alert('PostgresDown', {})];

describe("a team's run's view of the chaos controller", () => {
  it("injects with its team, sees only its faults, its alerts and the shared planes', and halts by clearing its own faults only", async () => {
    const chaos = fakeChaos(faults, alerts);
    const blue = chaosForTeam(chaos.client, 'blue');
    await blue.inject({ family: 'latency', target: 'payments', ms: 200 }, 60, 'training:run-1');
    expect(chaos.injected).toEqual([{ family: 'latency', target: 'payments', ms: 200, team: 'blue' }]);
    expect((await blue.activeFaults()).map((f) => f.id)).toEqual(['b1', 'b2']);
    expect((await blue.alerts()).map((a) => `${a.alertname} ${a.labels.team ?? '(shared)'}`)).toEqual(['ApiHighLatencyP95 blue', 'PostgresDown (shared)']);
    expect(await blue.halt('training:cleanup')).toEqual({ cleared: 2 });
    expect(chaos.cleared).toEqual(['b1', 'b2']);
    expect(chaos.halted()).toBe(0);
  });

  it("clears the faults bound to a service's releases in its team only", async () => {
    const chaos = fakeChaos(faults, alerts);
    expect(await chaosForTeam(chaos.client, 'blue').clearRelease('payments', 'training:run-1')).toEqual(['b2']);
    expect(chaos.cleared).toEqual(['b2']);
  });

  it("for the single lab's shop (no team) is the controller as is", async () => {
    const chaos = fakeChaos(faults, alerts);
    const single = chaosForTeam(chaos.client, null);
    expect(single).toBe(chaos.client);
  });
});

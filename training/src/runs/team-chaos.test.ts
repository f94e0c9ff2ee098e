import type { AlertRecord } from '@firedrill/chaos';
import { describe, expect, it } from 'vitest';
import type { ActiveFault, ChaosClient } from './chaos-client.ts';
import path from 'node:path';
import { defaultScenariosDir, listScenarioIds, loadScenario } from '../scenario/load-scenario.ts';
import { isOncall, type LabScenario } from '../scenario/scenario-schema.ts';
import { planTimeline } from '../scenario/timeline.ts';
import { chaosForTeam, teamRunRefusal } from './team-chaos.ts';

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

describe("a team's run in a class: refused at its start when its timeline cannot be one team's", () => {
  const plan = (id: string) => planTimeline(loadScenario(path.join(defaultScenariosDir, id)).scenario as LabScenario, { seed: 1 });

  it('when Lab 5 (redis-memory-pressure) is run for team blue, then it is refused, naming the step, the shared Redis and what to do', () => {
    const refusal = teamRunRefusal(plan('lab5-multi-component'), 'blue');
    expect(refusal).toContain('Scenario lab5-multi-component cannot run for team blue in this class: its step 1 injects redis-memory-pressure');
    expect(refusal).toContain('the one Redis every team of the class shares');
    expect(refusal).toContain('without --teams');
  });

  it('when Lab 5 runs in a single lab (no team), then nothing is refused', () => {
    expect(teamRunRefusal(plan('lab5-multi-component'), null)).toBeUndefined();
  });

  it('when any other scenario of the repo is run for a team, then it is not refused (only redis-memory-pressure presses what every team shares)', () => {
    const others = listScenarioIds(defaultScenariosDir)
      .map((id) => ({ id, scenario: loadScenario(path.join(defaultScenariosDir, id)).scenario }))
      .filter(({ scenario }) => !isOncall(scenario))
      .filter(({ scenario }) => !JSON.stringify(scenario).includes('redis-memory-pressure'));
    expect(others.length).toBeGreaterThan(5);
    for (const { id } of others) expect(teamRunRefusal(plan(id), 'blue'), id).toBeUndefined();
  });
});

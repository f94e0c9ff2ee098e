import { describe, expect, it } from 'vitest';
import { createRegistry } from '@firedrill/kit';
import type { Fault } from './fault-store.ts';
import { testFault as fault } from './fault.fixture.ts';
import { createControllerMetrics } from './metrics.ts';

/** The gauge's sample lines, without the registry's default `service` label. */
async function faultActiveLines(faults: readonly Fault[]): Promise<string[]> {
  const registry = createRegistry('chaos');
  createControllerMetrics(registry).update(faults);
  return (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith('chaos_fault_active{'))
    .map((line) => line.replace(/,service="chaos"/, ''));
}

describe('chaos_fault_active', () => {
  it("when a class's teams have faults, then each series names its fault's team in fault_team (never `team`, which a trainee's label proxy would hand out)", async () => {
    const lines = await faultActiveLines([
      fault('b1', { family: 'latency', team: 'blue', target: 'payments', ms: 300 }),
      fault('b2', { family: 'latency', team: 'blue', target: 'payments', ms: 600 }),
      fault('g1', { family: 'latency', team: 'green', target: 'payments', ms: 300 }),
      fault('g2', { family: 'worker-death', team: 'green', mode: 'hang' }),
    ]);
    expect(lines.sort()).toEqual([
      'chaos_fault_active{family="latency",target="payments",mode="none",fault_team="blue"} 2',
      'chaos_fault_active{family="latency",target="payments",mode="none",fault_team="green"} 1',
      'chaos_fault_active{family="worker-death",target="worker",mode="hang",fault_team="green"} 1',
    ]);
    expect(lines.join('\n')).not.toMatch(/[{,]team=/);
  });

  it("when a single lab's fault (no team) is active, then its fault_team is empty, which Prometheus stores as no label: the series looks as before", async () => {
    expect(await faultActiveLines([fault('lat', { family: 'latency', target: 'api', ms: 100 })])).toEqual([
      'chaos_fault_active{family="latency",target="api",mode="none",fault_team=""} 1',
    ]);
  });

  it('when the last fault ends, then no series is left', async () => {
    const registry = createRegistry('chaos');
    const metrics = createControllerMetrics(registry);
    metrics.update([fault('lat', { family: 'latency', team: 'blue', target: 'api', ms: 100 })]);
    metrics.update([]);
    expect(await registry.metrics()).not.toMatch(/^chaos_fault_active\{/m);
  });
});

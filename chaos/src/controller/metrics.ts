import { chaosControllerMetrics } from '@firedrill/conventions';
import { registerGauge, type Registry } from '@firedrill/kit';
import type { Fault } from './fault-store.ts';

/**
 * chaos_fault_active{family,target,mode,fault_team}: 1 per active fault kind, for the instructor
 * dashboard. `fault_team` is the fault's team in a class and empty in a single lab (so Prometheus
 * stores the single lab's series without it, as before); see chaosControllerMetrics for why not `team`.
 */
export function createControllerMetrics(registry: Registry) {
  const active = registerGauge(registry, chaosControllerMetrics.faultActive);
  return {
    update(faults: readonly Fault[]) {
      active.reset();
      for (const { spec } of faults) {
        active.inc({ family: spec.family, target: spec.target, mode: 'mode' in spec ? spec.mode : 'none', fault_team: spec.team ?? '' });
      }
    },
  };
}

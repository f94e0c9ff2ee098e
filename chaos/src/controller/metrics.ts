import { prom, type Registry } from '@firedrill/kit';
import type { Fault } from './fault-store.ts';

/** chaos_fault_active{family,target,mode}: 1 per active fault kind, for the instructor dashboard. */
export function createControllerMetrics(registry: Registry) {
  const active = new prom.Gauge({
    name: 'chaos_fault_active',
    help: 'Active faults by family, target and mode (instructor-only).',
    labelNames: ['family', 'target', 'mode'] as const,
    registers: [registry],
  });
  return {
    update(faults: readonly Fault[]) {
      active.reset();
      for (const { spec } of faults) {
        active.inc({ family: spec.family, target: spec.target, mode: 'mode' in spec ? spec.mode : 'none' });
      }
    },
  };
}

import { gauge } from './metric-definition.ts';

/** The chaos controller's metrics: instructor-only, never on a trainee's dashboard. */
export const chaosControllerMetrics = {
  /**
   * `fault_team`, not `team`: the team whose shop the fault is for (empty for a single lab's fault,
   * which Prometheus drops). A team's prom-label-proxy returns every series whose `team` is that
   * team's (docs/decisions/0016), so a fault labelled `team="blue"` would reach blue's trainees;
   * under `fault_team` it stays with the series that carry no `team`, which no trainee's path returns.
   */
  faultActive: gauge('chaos_fault_active', 'Active faults by family, target, mode and the team whose shop they act on (instructor-only).', [
    'family',
    'target',
    'mode',
    'fault_team',
  ]),
} as const;

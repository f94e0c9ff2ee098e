import { gauge } from './metric-definition.ts';

/** The chaos controller's metrics: instructor-only, never on a trainee's dashboard. */
export const chaosControllerMetrics = {
  faultActive: gauge('chaos_fault_active', 'Active faults by family, target and mode (instructor-only).', ['family', 'target', 'mode']),
} as const;

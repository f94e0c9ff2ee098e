import path from 'node:path';
import { ensureTokenFile } from '@firedrill/chaos';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * The lab's secrets, generated at the first `lab up`, mode 0600 in the state dir:
 * the instructor token (inject, list, clear faults), the agent token (services fetch their own
 * faults) and the alerts token (Alertmanager reports alerts to the lab). Trainees without access
 * to the state dir hold none of them.
 */
export function chaosTokenFiles(config: Pick<LabConfig, 'stateDir'>) {
  return {
    instructor: path.join(config.stateDir, 'secrets', 'instructor-token'),
    agent: path.join(config.stateDir, 'secrets', 'agent-token'),
    alerts: path.join(config.stateDir, 'secrets', 'alerts-token'),
  };
}

export function ensureChaosTokens(config: Pick<LabConfig, 'stateDir'>): { instructor: string } {
  const files = chaosTokenFiles(config);
  ensureTokenFile(files.agent);
  ensureTokenFile(files.alerts);
  return { instructor: ensureTokenFile(files.instructor) };
}

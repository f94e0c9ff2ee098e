import path from 'node:path';
import { ensureTokenFile } from '@firedrill/chaos';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * The lab's two secrets, generated at the first `lab up`, mode 0600 in the state dir:
 * the instructor token (inject, list, clear faults) and the agent token (services fetch their
 * own faults). Trainees without access to the state dir hold neither.
 */
export function chaosTokenFiles(config: Pick<LabConfig, 'stateDir'>) {
  return {
    instructor: path.join(config.stateDir, 'secrets', 'instructor-token'),
    agent: path.join(config.stateDir, 'secrets', 'agent-token'),
  };
}

export function ensureChaosTokens(config: Pick<LabConfig, 'stateDir'>): { instructor: string } {
  const files = chaosTokenFiles(config);
  ensureTokenFile(files.agent);
  return { instructor: ensureTokenFile(files.instructor) };
}

import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * The operator token, generated at the first `lab up`, mode 0600 in the state dir beside the
 * instructor's: it pulls the training process's levers (all but deploy). Trainee identities
 * replace it with the incidents issue.
 */
export function operatorTokenFile(config: Pick<LabConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'secrets', 'operator-token');
}

export function ensureOperatorToken(config: Pick<LabConfig, 'stateDir'>): string {
  return ensureTokenFile(operatorTokenFile(config));
}

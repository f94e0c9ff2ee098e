import path from 'node:path';
import { ensureTokenFile, readToken } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * The supervisor's control token, generated at the first `lab up`, mode 0600 in the state dir's
 * secrets: whoever can read it can restart, deploy, scale and stop the lab's processes. The lab
 * CLI (run by the lab's user) and the training process (SUPERVISOR_TOKEN_FILE) send it; trainees,
 * who cannot read the secrets, get 401 from the control port (docs/decisions/0016-boundaries.md).
 */
export function supervisorTokenFile(config: Pick<LabConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'secrets', 'supervisor-token');
}

export function ensureSupervisorToken(config: Pick<LabConfig, 'stateDir'>): string {
  return ensureTokenFile(supervisorTokenFile(config));
}

/** The token for a client; a user who may not read it is told so, not shown EACCES alone. */
export function readSupervisorToken(config: Pick<LabConfig, 'stateDir'>): string {
  const file = supervisorTokenFile(config);
  try {
    return readToken(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw new Error(`the supervisor's token (${file}) is readable only by the lab's user: run this as that user`);
    if (code === 'ENOENT') throw new Error(`the supervisor's token (${file}) does not exist: is the lab running from this state dir?`);
    throw err;
  }
}

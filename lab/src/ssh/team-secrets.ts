import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sshPaths } from './ssh-paths.ts';

/**
 * A team's password for one of its read-only accounts (Postgres role, Redis user), made once and
 * kept in <state>/ssh/secrets (0700 dir, 0600 file); the same for every trainee of the team.
 */
export function teamSecret(stateDir: string, team: string, kind: 'postgres' | 'redis'): string {
  const dir = sshPaths(stateDir).secretsDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = path.join(dir, `${team}.${kind}`);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // Not made yet.
  }
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'w' });
  return secret;
}

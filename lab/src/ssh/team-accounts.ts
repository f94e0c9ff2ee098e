import { readdirSync } from 'node:fs';
import { sshPaths } from './ssh-paths.ts';

/** The teams that have read-only accounts (a secrets file each, made by `lab trainees add`). */
export function teamsWithAccounts(stateDir: string): string[] {
  try {
    return [
      ...new Set(
        readdirSync(sshPaths(stateDir).secretsDir)
          .filter((f) => f.endsWith('.redis'))
          .map((f) => f.slice(0, -'.redis'.length)),
      ),
    ];
  } catch {
    return [];
  }
}

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/lab-config.ts';
import type { AccountPlaces } from './account-places.ts';
import { sshPaths, traineeGroup } from './ssh-paths.ts';
import { isOwnDirectory, redisPortFile, traineeConfigDir, writeAccountFile } from './trainee-account.ts';
import { writeTraineeTools } from './trainee-tools.ts';
import { teamNameSource } from '@firedrill/conventions';

/** A lab account as /etc/passwd knows it: `useradd --comment "firedrill trainee <name> (team <team>)"` (trainee-account.ts). */
interface LabAccount {
  user: string;
  uid: number;
  gid: number;
  home: string;
  team: string;
}

/** The GECOS comment the lab gives a trainee's account (trainee-account.ts): it names the account's team. */
const traineeComment = new RegExp(`^firedrill trainee \\S+ \\(team (${teamNameSource})\\)$`);

/**
 * At every start of the lab's sshd (`lab up`, `lab restart sshd`): what each trainee account the lab
 * made holds about where the lab is now, written again — its team's Redis port, which the shared
 * redis-cli wrapper reads. An account made before a class had a Redis per team has no such file, and
 * a class started again with its teams in another order has moved the team's server; neither needs
 * a manual step. The shared tools are written again too (the wrapper follows the repository).
 * Never throws for one account: answers what it could not do, for the lab's log.
 */

export function refreshTraineeAccounts(config: Pick<LabConfig, 'stateDir' | 'repoRoot'>, places: AccountPlaces): { refreshed: string[]; problems: string[] } {
  const accounts = labAccounts(config.stateDir);
  const refreshed: string[] = [];
  const problems: string[] = [];
  if (accounts.length === 0) return { refreshed, problems };
  writeTraineeTools(config, places);
  for (const account of accounts) {
    const configDir = traineeConfigDir(account.home);
    if (!isOwnDirectory(path.dirname(configDir), account.uid) || !isOwnDirectory(configDir, account.uid)) {
      problems.push(`${account.user}: ${configDir} is not its own directory; left alone`);
      continue;
    }
    try {
      const { port } = places.readonlyAccounts(account.team).redis;
      writeAccountFile(path.join(configDir, redisPortFile), `${port}\n`, 0o600, account);
      refreshed.push(account.user);
    } catch (err) {
      // A team this class has no shop for: its redis-cli says what is missing.
      problems.push(`${account.user} (team ${account.team}): ${(err as Error).message}`);
    }
  }
  return { refreshed, problems };
}

/** The accounts the lab made: a key in its authorized_keys, a user in the trainees group whose comment names its team. */
function labAccounts(stateDir: string): LabAccount[] {
  const dir = sshPaths(stateDir).authorizedKeysDir;
  if (!existsSync(dir)) return [];
  const trainees = spawnSync('getent', ['group', traineeGroup], { encoding: 'utf8' }).stdout.split(':')[2];
  if (trainees === undefined) return [];
  return readdirSync(dir).flatMap((user) => {
    const entry = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
    const [, , uid, gid, comment, home] = entry.stdout.trim().split(':');
    const team = traineeComment.exec(comment ?? '')?.[1];
    if (entry.status !== 0 || team === undefined || home === undefined || Number(gid) !== Number(trainees)) return [];
    return [{ user, uid: Number(uid), gid: Number(gid), home, team }];
  });
}

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fchmodSync,
  fchownSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/lab-config.ts';
import type { AccountPlaces } from './account-places.ts';
import { teamLogGroup } from '../config/team-log-groups.ts';
import { sshPaths, traineeGroup, traineeKeyPath, traineeUser, traineeUserProblem } from './ssh-paths.ts';
import { traineeToolPaths, writeTraineeTools } from './trainee-tools.ts';

/**
 * Why this lab cannot have an SSH box (not root, no sshd, a state dir sshd would not trust), or
 * undefined when it can. Where it cannot, the lab runs as before: no sshd, no accounts.
 */
export function traineeAccountsUnavailable(stateDir: string): string | undefined {
  if (process.getuid?.() !== 0) return 'the lab runs as a user who cannot create Linux accounts (root can)';
  if (!existsSync('/usr/sbin/sshd')) return "Debian's openssh-server is not installed (`lab setup` as root installs it)";
  if (!existsSync('/usr/sbin/useradd')) return 'useradd is missing';
  return sshUntrustedPath(sshPaths(stateDir).authorizedKeysDir);
}

/**
 * sshd (StrictModes) refuses authorized keys below a directory that others may write or that
 * someone else owns: /tmp, say. Says which, or undefined when every existing directory above is fine.
 */
export function sshUntrustedPath(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    let stat: Stats | undefined;
    try {
      stat = statSync(current);
    } catch {
      // Not made yet: the lab makes it root's, 0755.
    }
    if (stat && (stat.uid !== 0 || (stat.mode & 0o022) !== 0))
      return `the state dir is below ${current}, which ${stat.uid !== 0 ? 'another user owns' : 'others may write'}: sshd would refuse the trainees' keys there (put LAB_STATE_DIR elsewhere)`;
    if (current === path.dirname(current)) return undefined;
  }
}

export interface TraineeAccount {
  user: string;
  home: string;
  /** The private key, for the instructor to hand out (its content is never printed). */
  privateKey: string;
}

/**
 * The trainee's Linux account on the lab box: user fd-<name> in the trainees group, home
 * /home/fd-<name>, bash with the lab's profile; an ed25519 key pair whose public half goes to the
 * lab's root-owned authorized_keys and whose private half stays under <state>/ssh (0600, root);
 * the trainee's token, psql service and Redis password in the home (0600, the trainee's).
 * Idempotent: adding a trainee again gives it a new key and its new token.
 */
export async function createTraineeAccount(
  config: Pick<LabConfig, 'stateDir' | 'repoRoot' | 'logsDir'>,
  trainee: { name: string; team: string; token: string },
  places: AccountPlaces,
): Promise<TraineeAccount> {
  const problem = traineeUserProblem(trainee.name);
  if (problem) throw new Error(problem);
  // Before anything is made: a class's team without a shop has no accounts to hand over.
  const { database, redis } = places.readonlyAccounts(trainee.team);
  const paths = sshPaths(config.stateDir);
  const user = traineeUser(trainee.name);
  const home = path.join('/home', user);

  writeTraineeTools(config, places);
  run('groupadd', ['-f', traineeGroup]);
  if (!userExists(user))
    run('useradd', [
      '--create-home',
      '--home-dir',
      home,
      '--shell',
      '/bin/bash',
      '--gid',
      traineeGroup,
      '--password',
      '*',
      '--comment',
      `firedrill trainee ${trainee.name} (team ${trainee.team})`,
      user,
    ]);
  // A class's team's shop logs are its team's group's (0640): the account reads its own team's only.
  run('groupadd', ['-f', teamLogGroup(trainee.team)]);
  run('usermod', ['--groups', teamLogGroup(trainee.team), user]);
  const { uid, gid } = ids(user);

  // The key pair: private half root's, public half in the lab's authorized_keys (root-owned, so the trainee cannot add keys).
  for (const [dir, mode] of [
    [paths.dir, 0o755],
    [paths.keysDir, 0o700],
    [paths.authorizedKeysDir, 0o755],
  ] as const) {
    mkdirSync(dir, { recursive: true, mode });
    chmodSync(dir, mode);
  }
  const privateKey = traineeKeyPath(config.stateDir, trainee.name);
  rmSync(privateKey, { force: true });
  rmSync(`${privateKey}.pub`, { force: true });
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${user}@firedrill`, '-f', privateKey]);
  chmodSync(privateKey, 0o600);
  writeFileSync(path.join(paths.authorizedKeysDir, user), readFileSync(`${privateKey}.pub`), { mode: 0o644 });

  // What the account holds: root-owned shell start-up files, the trainee's own secrets.
  const own = (file: string, text: string, mode: number) => writeAccountFile(file, text, mode, { uid, gid });
  const configDir = traineeConfigDir(home);
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  for (const dir of [path.join(home, '.config'), configDir]) chownSync(dir, uid, gid);
  own(path.join(configDir, 'token'), `${trainee.token}\n`, 0o600);
  // curl -H @file: the token never appears on a command line (`ps` shows those to everyone).
  own(path.join(configDir, 'auth-header'), `Authorization: Bearer ${trainee.token}\n`, 0o600);
  // Its team's Redis server (a class runs one per team): the shared redis-cli wrapper reads it here.
  own(path.join(configDir, redisPortFile), `${redis.port}\n`, 0o600);
  own(path.join(configDir, 'redis-user'), `${redis.user}\n`, 0o600);
  own(path.join(configDir, 'redis-password'), `${redis.password}\n`, 0o600);
  // The team's Prometheus gate: its token (and a curl header file) and URL, the profile's FIREDRILL_PROMETHEUS_URL.
  for (const file of places.teamPrometheusFiles?.(trainee.team) ?? []) own(path.join(configDir, file.name), file.text, 0o600);
  own(
    path.join(home, '.pg_service.conf'),
    `[shop]\nhost=${database.host}\nport=${database.port}\ndbname=${database.database}\nuser=${database.user}\npassword=${database.password}\n`,
    0o600,
  );
  const profile = traineeToolPaths(config.stateDir).profile;
  // Root's, in the trainee's home: written the same careful way (a symlink there is replaced, never followed).
  writeAccountFile(path.join(home, '.bashrc'), `. ${profile}\n`, 0o644, { uid: 0, gid: 0 });
  writeAccountFile(path.join(home, '.bash_profile'), '. "$HOME/.bashrc"\n', 0o644, { uid: 0, gid: 0 });
  const logs = path.join(home, 'logs');
  rmSync(logs, { force: true });
  symlinkSync(config.logsDir, logs);
  chmodSync(home, 0o700); // not even the trainees group: teammates keep out of each other's homes
  return { user, home, privateKey };
}

/** The account's own lab files (token, store accounts, its team's Redis port): ~/.config/firedrill. */
export const traineeConfigDir = (home: string) => path.join(home, '.config', 'firedrill');

/** Its team's Redis server's port, which the shared redis-cli wrapper reads (trainee-tools.ts). */
export const redisPortFile = 'redis-port';

/**
 * Writes a file the trainee owns, as root, in a directory the trainee owns: the old file (or a
 * symlink the trainee put there) is removed, and the new one is created exclusively (O_EXCL does
 * not follow a symlink) and given its mode and owner through its descriptor, so no path the
 * trainee can change between two calls makes root write or chown something else.
 */
export function writeAccountFile(file: string, text: string, mode: number, owner: { uid: number; gid: number }): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', mode);
  try {
    writeSync(fd, text);
    fchmodSync(fd, mode);
    fchownSync(fd, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
}

/** A directory that is `uid`'s own and not a symlink (lstat): where root may write the account's files. */
export function isOwnDirectory(dir: string, uid: number): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === uid;
  } catch {
    return false;
  }
}

/** Deletes the trainee's account, its home and its keys. True when there was an account to delete. */
export function removeTraineeAccount(config: Pick<LabConfig, 'stateDir'>, name: string): boolean {
  if (traineeUserProblem(name)) return false;
  const user = traineeUser(name);
  const privateKey = traineeKeyPath(config.stateDir, name);
  rmSync(path.join(sshPaths(config.stateDir).authorizedKeysDir, user), { force: true });
  rmSync(privateKey, { force: true });
  rmSync(`${privateKey}.pub`, { force: true });
  if (!userExists(user)) return false;
  // Only accounts the lab made: never delete a user outside the trainees group.
  if (ids(user).gid !== groupId(traineeGroup)) throw new Error(`${user} is not in the ${traineeGroup} group: not a lab account, left alone`);
  spawnSync('pkill', ['-KILL', '-u', user], { stdio: 'ignore' });
  run('userdel', ['--remove', user], [0, 12]); // 12: the home could not be removed (already gone)
  rmSync(path.join('/home', user), { recursive: true, force: true });
  return true;
}

function userExists(user: string): boolean {
  return spawnSync('id', ['-u', user], { stdio: 'ignore' }).status === 0;
}

function ids(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function groupId(group: string): number {
  return Number(spawnSync('getent', ['group', group], { encoding: 'utf8' }).stdout.split(':')[2]);
}

function run(command: string, args: string[], okStatuses = [0]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (!okStatuses.includes(result.status ?? -1)) throw new Error(`${command} ${args[0]}… failed (${result.status}): ${result.stderr.trim()}`);
}

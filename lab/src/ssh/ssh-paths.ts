import path from 'node:path';

/** The Linux group every trainee account is in; sshd admits this group only (AllowGroups). */
export const traineeGroup = 'firedrill-trainees';

/** A trainee's Linux user name: `fd-` and the training name, so no lab account shadows a real one. */
export const traineeUser = (name: string) => `fd-${name}`;

/** Training names that can become Linux user names (useradd's rules, `fd-` included: at most 32). */
const linuxSafeName = /^[a-z][a-z0-9-]{0,28}$/;

/** Why a training name cannot be a Linux account, or undefined when it can. */
export function traineeUserProblem(name: string): string | undefined {
  if (!linuxSafeName.test(name))
    return `"${name}" cannot be a Linux user name: lower-case letters, digits and dashes, starting with a letter, at most 29 characters`;
  return undefined;
}

/**
 * Where the lab box keeps its SSH side, under <state>/ssh. Root-owned: trainees read nothing here
 * but their own authorized key (sshd reads it as root anyway), so they cannot add keys, read each
 * other's private keys, or the read-only roles' passwords of other teams.
 */
export function sshPaths(stateDir: string) {
  const dir = path.join(stateDir, 'ssh');
  return {
    dir,
    /** The lab's own sshd_config (0600). */
    config: path.join(dir, 'sshd_config'),
    hostKey: path.join(dir, 'ssh_host_ed25519_key'),
    pidFile: path.join(dir, 'sshd.pid'),
    /** AuthorizedKeysFile <dir>/%u: one root-owned file per account, not in the trainee's home. */
    authorizedKeysDir: path.join(dir, 'authorized_keys'),
    /** The trainees' private keys (0700 dir, 0600 files): for the instructor to hand out, and the console's browser terminal. */
    keysDir: path.join(dir, 'trainee-keys'),
    /** Tools on the trainee's PATH (lab, redis-cli wrappers) and the shell profile every account sources: root-owned, world-readable. */
    shareDir: path.join(dir, 'share'),
  };
}

/** The private key of a trainee's account, as `lab trainees add` reports its path. */
export const traineeKeyPath = (stateDir: string, name: string) => path.join(sshPaths(stateDir).keysDir, traineeUser(name));

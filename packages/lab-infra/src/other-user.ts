import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { which } from './binaries.ts';
import type { CliRun } from './native-lab.ts';

/**
 * A throwaway Linux account for tests of what another local user (a trainee) can and cannot do on
 * the lab's machine: created with useradd, removed with userdel. Needs root; `otherUserUnavailable`
 * says why not, for a skip with a reason.
 */
export interface OtherUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** Runs a program as this user (its own uid and gid, no supplementary groups), never throwing: the exit code says. */
  run(command: string, args: readonly string[], options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<CliRun>;
  /** Deletes the account (and its group). Safe to call twice. */
  remove(): void;
}

/** Why a throwaway user cannot be created here, or undefined when it can. */
export function otherUserUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'creating a throwaway Linux user needs root';
  for (const tool of ['useradd', 'userdel']) {
    if (!which(tool, ['/usr/sbin', '/sbin'])) return `${tool} is not installed (Debian: passwd)`;
  }
  return undefined;
}

export function createOtherUser(prefix = 'fdtest'): OtherUser {
  const reason = otherUserUnavailable();
  if (reason) throw new Error(reason);
  const name = `${prefix}${randomBytes(4).toString('hex')}`;
  // No home, no login shell: it only ever runs what the test asks, through run().
  execFileSync(
    which('useradd', ['/usr/sbin', '/sbin'])!,
    ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name],
    {
      stdio: 'pipe',
    },
  );
  const id = (flag: string) => Number(execFileSync('id', [flag, name]).toString().trim());
  const uid = id('-u');
  const gid = id('-g');
  let removed = false;
  return {
    name,
    uid,
    gid,
    run(command, args, options = {}) {
      return new Promise((resolve) => {
        execFile(
          command,
          [...args],
          {
            // Node drops the supplementary groups (setgroups) when it switches uid: root's groups do not leak.
            uid,
            gid,
            cwd: '/',
            env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/nonexistent', LANG: 'C.UTF-8', USER: name, ...options.env },
            timeout: options.timeoutMs ?? 30_000,
          },
          (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
          },
        );
      });
    },
    remove() {
      if (removed) return;
      removed = true;
      execFileSync(which('userdel', ['/usr/sbin', '/sbin'])!, [name], { stdio: 'pipe' });
    },
  };
}

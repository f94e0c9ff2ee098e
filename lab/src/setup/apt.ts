import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** apt-get only when root on a Debian-like machine; elsewhere setup says what to install instead. */
export function canUseApt(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

export function aptInstall(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Progress goes to stderr: stdout stays for what commands print as their result.
  const stdio: ['ignore', number, number] = ['ignore', 2, 2];
  spawnSync('apt-get', ['update'], { stdio, env });
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio, env });
}

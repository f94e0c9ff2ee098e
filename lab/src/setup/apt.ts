import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** apt-get only when root on a Debian-like machine; elsewhere setup says what to install instead. */
export function canUseApt(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/**
 * apt-get install --no-install-recommends. The package lists are refreshed (apt-get update) only
 * when the install fails: a fresh container has none, a machine that has them saves the minute.
 * Returns whether the install succeeded.
 */
export function aptInstall(packages: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Progress goes to stderr: stdout stays for what commands print as their result.
  const stdio: ['ignore', number, number] = ['ignore', 2, 2];
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio, env }).status === 0;
  if (install()) return true;
  spawnSync('apt-get', ['update'], { stdio, env });
  return install();
}

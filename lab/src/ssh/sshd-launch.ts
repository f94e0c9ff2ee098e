import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { LabConfig } from '../config/lab-config.ts';
import type { Launch } from '../topology/process-spec.ts';
import { sshdConfigText } from './sshd-config.ts';
import { sshPaths, traineeGroup } from './ssh-paths.ts';

export const sshdBinary = '/usr/sbin/sshd';

/**
 * The lab's own sshd: its host key made once (0600), its config written at every start, run in
 * the foreground (-D) with its log on stderr (-e) for the supervisor to keep.
 */
export function prepareSshd(config: LabConfig): Launch {
  const paths = sshPaths(config.stateDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o755 });
  mkdirSync(paths.authorizedKeysDir, { recursive: true, mode: 0o755 });
  if (!existsSync(paths.hostKey)) {
    const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'firedrill-lab-host', '-f', paths.hostKey], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`ssh-keygen (host key) failed: ${made.stderr}`);
  }
  chmodSync(paths.hostKey, 0o600);
  // sshd's privilege separation directory (Debian's package makes it at boot through systemd).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  spawnSync('groupadd', ['-f', traineeGroup]);
  writeFileSync(
    paths.config,
    sshdConfigText({ port: config.ports.ssh, hostKey: paths.hostKey, pidFile: paths.pidFile, authorizedKeysDir: paths.authorizedKeysDir, group: traineeGroup }),
    { mode: 0o600 },
  );
  // sshd insists on an absolute path to itself (it re-executes for each connection).
  return { command: sshdBinary, args: ['-D', '-e', '-f', paths.config] };
}

/** Healthy when the port accepts a connection and greets with an SSH banner ("SSH-2.0-…"). */
export function sshBannerAnswers(port: number, timeoutMs = 1_000): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('error', () => done(false));
      socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-2.0-')));
    });
}

import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from './lab-config.ts';
import { ensureTeamLogGroup } from './team-log-groups.ts';
import { teamNameSource } from '@firedrill/conventions';

/**
 * Who may read what under the state dir (docs/decisions/0016-boundaries.md). Trainees are other
 * Linux users on the lab's machine: they read the shop's logs, as an on-call engineer reads a
 * production box's, and nothing else. The secrets, the chaos controller's and training's logs
 * (they name the faults), the run journals and every data dir are the lab user's alone.
 */
const modes = {
  /** The state dir and logs/: open, so trainees can reach the shop's logs. */
  openDir: 0o755,
  /** secrets/, runs/, the data dirs: the lab's user only. */
  privateDir: 0o700,
  shopLog: 0o644,
  /** A class's team's shop log: its team's group (its trainees) reads it, other teams' trainees do not. */
  teamShopLog: 0o640,
  privateFile: 0o600,
} as const;

/**
 * The shop's own services (and their replicas, worker-2 …), a class's team's too (blue-api,
 * blue-worker-2: docs/decisions/0015): the logs a trainee may read. The single lab's are every
 * trainee's; a class's team's are its team's group's (team-log-groups.ts).
 */
const shopLog = new RegExp(`^(?:(${teamNameSource})-)?(api|payments|worker(-\\d+)?)\\.log(\\.\\d+)?$`);

/** The class's team whose shop wrote this log (blue-api.log → blue); undefined for the single lab's and every other process's. */
export function logTeam(fileName: string): string | undefined {
  return shopLog.exec(fileName)?.[1];
}

/** The mode of a log file in logs/: a shop's readable by its trainees, every other process's by the lab's user only. */
export function logFileMode(fileName: string): number {
  if (!shopLog.test(fileName)) return modes.privateFile;
  return logTeam(fileName) === undefined ? modes.shopLog : modes.teamShopLog;
}

/** Mode, and for a team's shop log its team's group (when the lab can make groups: root). */
function applyLogAccess(file: string): void {
  const team = logTeam(path.basename(file));
  const gid = team === undefined ? undefined : ensureTeamLogGroup(team);
  if (gid !== undefined) chownSync(file, statSync(file).uid, gid);
  chmodSync(file, logFileMode(path.basename(file)));
}

/**
 * Creates a log file (if it is not there) with its mode before any process writes to it, and
 * tightens or loosens an existing one: a file created readable and chmodded later could be opened
 * by someone in between.
 */
export function prepareLogFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: modes.openDir });
  closeSync(openSync(file, 'a', logFileMode(path.basename(file))));
  applyLogAccess(file);
}

/**
 * Applies the modes to the whole state dir, at every `lab up` before anything starts: creates
 * secrets/, runs/ and logs/ with theirs, and corrects what an older lab (or a loosened umask) left.
 * Directories it does not know (a data dir added later) are private by default.
 */
export function secureStateDir(config: Pick<LabConfig, 'stateDir' | 'logsDir'>): void {
  const { stateDir, logsDir } = config;
  mkdirSync(stateDir, { recursive: true });
  chmodSync(stateDir, modes.openDir);
  for (const dir of ['secrets', 'runs']) mkdirSync(path.join(stateDir, dir), { recursive: true, mode: modes.privateDir });
  mkdirSync(logsDir, { recursive: true, mode: modes.openDir });

  for (const entry of readdirSync(stateDir, { withFileTypes: true })) {
    const full = path.join(stateDir, entry.name);
    if (!entry.isDirectory()) continue; // lab.json and releases.json: pids, ports and versions, no secret
    if (full === logsDir) {
      chmodSync(full, modes.openDir);
      for (const log of readdirSync(full, { withFileTypes: true })) {
        if (log.isFile()) applyLogAccess(path.join(full, log.name));
      }
      continue;
    }
    chmodSync(full, modes.privateDir);
  }
  const secrets = path.join(stateDir, 'secrets');
  for (const name of readdirSync(secrets)) {
    const file = path.join(secrets, name);
    if (existsSync(file) && statSync(file).isFile()) chmodSync(file, modes.privateFile);
  }
}

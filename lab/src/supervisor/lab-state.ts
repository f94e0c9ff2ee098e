import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** <state>/lab.json: how the CLI finds a running supervisor. */
export interface LabState {
  pid: number;
  controlPort: number;
  portBase: number;
  startedAt: string;
  /** The class's teams (`lab up --teams`); absent or empty for the single lab (and in a lab.json written before classes). */
  teams?: string[];
  /** Current pid of every child, so `lab down` can make sure none outlives the lab. */
  processes: Record<string, number>;
}

export function labStatePath(stateDir: string): string {
  return path.join(stateDir, 'lab.json');
}

export function writeLabState(stateDir: string, state: LabState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = labStatePath(stateDir);
  // Write then rename, so a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeLabState(stateDir: string): void {
  rmSync(labStatePath(stateDir), { force: true });
}

/** The running lab's state, or undefined when there is none or its supervisor is dead (stale file). */
export function readLiveLabState(stateDir: string): LabState | undefined {
  const state = readLabState(stateDir);
  return state && isAlive(state.pid) ? state : undefined;
}

export function readLabState(stateDir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(labStatePath(stateDir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

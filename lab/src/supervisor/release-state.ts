import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * <state>/releases.json: the version each service was deployed at and how many worker processes
 * run, so a crash restart, `lab restart <service>` and the next `lab up` keep them.
 */
export interface ReleaseState {
  versions: Record<string, string>;
  scale: Record<string, number>;
}

export function releaseStatePath(stateDir: string): string {
  return path.join(stateDir, 'releases.json');
}

export function readReleaseState(stateDir: string): ReleaseState {
  try {
    const parsed = JSON.parse(readFileSync(releaseStatePath(stateDir), 'utf8')) as Partial<ReleaseState>;
    return { versions: { ...parsed.versions }, scale: { ...parsed.scale } };
  } catch {
    return { versions: {}, scale: {} };
  }
}

export function writeReleaseState(stateDir: string, state: ReleaseState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = releaseStatePath(stateDir);
  // Write then rename, so a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/lab-config.ts';
import { portsFor, teamPortsFor } from '@firedrill/lab-infra';
import { isAlive, type LabState } from './lab-state.ts';

/**
 * What marks a process as this lab's in its command line: the state dir (postgres, prometheus),
 * the repo's services and lab runner, or a redis-server's rewritten title with its port (the
 * single lab's, or each team's own in a class).
 */
function ourMarkers(config: Pick<LabConfig, 'stateDir' | 'repoRoot'>, state: LabState): string[] {
  return [
    config.stateDir,
    path.join(config.repoRoot, 'services'),
    path.join(config.repoRoot, 'training'),
    path.join(config.repoRoot, 'lab'),
    `127.0.0.1:${portsFor(state.portBase).redis}`,
    ...(state.teams ?? []).map((_, i) => `127.0.0.1:${teamPortsFor(state.portBase, i + 1).redis}`),
  ];
}

/**
 * Children a dead supervisor left behind (it was SIGKILLed, or the machine's OOM killer chose it).
 * Only pids whose command line still looks like ours: an old pid may belong to something else now.
 */
export function killStaleChildren(state: LabState, config: Pick<LabConfig, 'stateDir' | 'repoRoot'>): number[] {
  const markers = ourMarkers(config, state);
  const pids = Object.values(state.processes).filter((pid) => {
    if (!isAlive(pid)) return false;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return markers.some((marker) => cmdline.includes(marker));
    } catch {
      return false; // no /proc: do not guess
    }
  });
  return killAll(pids);
}

/** SIGKILLs every pid still alive; returns those it signalled. */
export function killAll(pids: readonly number[]): number[] {
  const killed: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

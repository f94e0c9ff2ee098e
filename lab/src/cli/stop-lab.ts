import { setTimeout as sleep } from 'node:timers/promises';
import type { LabConfig } from '../config/lab-config.ts';
import { controlClient } from '../supervisor/control-client.ts';
import { isAlive, readLabState, removeLabState, type LabState } from '../supervisor/lab-state.ts';
import { killAll } from '../supervisor/leftovers.ts';
import { progress } from './output.ts';

/** Longest orderly shutdown we wait for: each process has a 10 s stop grace and they stop in turn
 * (in practice each takes well under a second). */
const shutdownDeadlineMs = 120_000;

/**
 * Asks the supervisor to stop everything (control API, or SIGTERM when it does not answer) and
 * returns only when the supervisor and every child are gone; stragglers get SIGKILL at the deadline.
 */
export async function stopLab(config: LabConfig, state: LabState): Promise<void> {
  const pids = new Set<number>([state.pid, ...Object.values(state.processes)]);
  const client = controlClient(state, config, 2_000);
  try {
    for (const s of (await client.status()).services) if (s.pid) pids.add(s.pid);
    await client.shutdown();
  } catch {
    progress(`the supervisor (pid ${state.pid}) does not answer on port ${state.controlPort}; sending it SIGTERM`);
    killQuietly(state.pid, 'SIGTERM');
  }

  const deadline = Date.now() + shutdownDeadlineMs;
  let alive = [...pids].filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    // The lab.json the supervisor keeps names any child restarted meanwhile.
    for (const pid of Object.values(readLabState(config.stateDir)?.processes ?? {})) pids.add(pid);
    alive = [...pids].filter(isAlive);
  }
  if (alive.length > 0) {
    progress(`still running after ${shutdownDeadlineMs / 1000} s, killing: ${alive.join(', ')}`);
    killAll(alive);
    while ([...pids].some(isAlive)) await sleep(50);
  }
  removeLabState(config.stateDir);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

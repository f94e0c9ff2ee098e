import { portsFor, type PortName } from '@firedrill/lab-infra';
import type { LabConfig } from '../config/lab-config.ts';
import { readLiveLabState, type LabState } from '../supervisor/lab-state.ts';
import { progress } from './output.ts';

export interface RunningLab {
  state: LabState;
  /** The running lab's ports, whatever LAB_PORT_BASE says in this shell. */
  ports: Record<PortName, number>;
}

/**
 * The lab commands act on: the one running in this state dir. When none is, says so (the caller
 * then exits with exitCodes.notRunning), unless `quiet` (a command that works without one).
 */
export function runningLab(config: Pick<LabConfig, 'stateDir'>, { quiet = false } = {}): RunningLab | undefined {
  const state = readLiveLabState(config.stateDir);
  if (!state) {
    if (!quiet) progress('lab is not running: start it with `npx lab up`');
    return undefined;
  }
  return { state, ports: portsFor(state.portBase) };
}

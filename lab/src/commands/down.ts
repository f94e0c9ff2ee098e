import type { Command } from '../cli/command.ts';
import { progress } from '../cli/output.ts';
import { stopCurrentRun } from '../cli/stop-current-run.ts';
import { stopLab } from '../cli/stop-lab.ts';
import { isAlive, readLabState, removeLabState } from '../supervisor/lab-state.ts';
import { killStaleChildren } from '../supervisor/leftovers.ts';

export const downCommand: Command = {
  name: 'down',
  summary: 'stop the lab: every process, in reverse start order (data is kept)',
  usage: 'lab down',
  async run({ config }) {
    const state = readLabState(config.stateDir);
    if (!state || !isAlive(state.pid)) {
      if (state) {
        killStaleChildren(state, config);
        removeLabState(config.stateDir);
      }
      progress('lab is not running');
      return 0;
    }
    await stopCurrentRun(config, state);
    progress(`lab: stopping (supervisor pid ${state.pid})`);
    await stopLab(config, state);
    progress(`lab is stopped; data stays in ${config.stateDir}`);
    return 0;
  },
};

import { exitCodes, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { controlClient } from '../supervisor/control-client.ts';
import { readLiveLabState } from '../supervisor/lab-state.ts';
import { statusJson, statusTable } from '../supervisor/status-report.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show every lab process: health, pid, uptime, restarts, URL (exit 3 when the lab is down)',
  usage: 'lab status [--json]\n\n  --json  {"services":[{"name","url","pid","port","healthy","uptimeSeconds","restarts","version"}, …]}',
  options: { json: { type: 'boolean' } },
  async run({ values, config }) {
    const state = readLiveLabState(config.stateDir);
    if (!state) {
      if (values.json) result(JSON.stringify({ services: [] }));
      else progress('lab is not running');
      return exitCodes.notRunning;
    }
    const { services } = await controlClient(state, config).status();
    if (values.json) {
      result(JSON.stringify(statusJson(services)));
    } else {
      result(statusTable(services));
      const sick = services.filter((s) => !s.healthy);
      if (sick.length > 0) progress(`\nnot healthy: ${sick.map((s) => `${s.name} (log: ${s.logFile})`).join(', ')}`);
    }
    return exitCodes.ok;
  },
};

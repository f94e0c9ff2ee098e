import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { controlClient, ControlError } from '../supervisor/control-client.ts';
import os from 'node:os';
import { hasPersonalToken } from '../cli/caller-token.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient, type LeverOutcome } from '../cli/training-client.ts';
import { labTeam } from '../cli/lab-team.ts';
import { shopProcessName } from '../topology/team-shops.ts';

const healthyTimeoutMs = 30_000;

export const restartCommand: Command = {
  name: 'restart',
  summary: 'restart one process now (also one that exited on purpose and stays down); with a personal token, the restart lever (api, payments, worker)',
  usage: "lab restart <service> [--team T]   (--team T: in a class, that team's process: `lab restart api --team blue` is blue-api)",
  options: { team: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, config }) {
    const service = positionals[0]!;
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    if (hasPersonalToken({ env: process.env, home: os.homedir() })) {
      // A trainee's restart is the restart lever: for their team's shop, on the timeline, refused in words otherwise.
      const team = typeof values.team === 'string' ? values.team : undefined;
      const outcome = await trainingClient(lab, config).post<LeverOutcome>('/api/levers', { lever: `restart ${service}`, ...(team && { team }) });
      result(outcome.summary);
      return exitCodes.ok;
    }
    const team = labTeam(lab, values.team);
    const name = shopProcessName(team, service);
    const client = controlClient(lab.state, config);
    try {
      const restarted = await client.restart(name);
      progress(`lab: ${name} restarted (pid ${restarted.pid}); waiting for it to be healthy`);
    } catch (err) {
      if (err instanceof ControlError && err.status === 404) throw new UsageError(err.message);
      throw err;
    }
    const deadline = Date.now() + healthyTimeoutMs;
    while (Date.now() < deadline) {
      const status = (await client.status()).services.find((s) => s.name === name);
      if (status?.healthy) {
        result(`${name} is healthy (pid ${status.pid}) at ${status.url}`);
        return exitCodes.ok;
      }
      await sleep(250);
    }
    const status = (await client.status()).services.find((s) => s.name === name);
    progress(`lab: ${name} is not healthy after ${healthyTimeoutMs / 1000} s (${status?.state}); see ${status?.logFile}`);
    return exitCodes.failed;
  },
};

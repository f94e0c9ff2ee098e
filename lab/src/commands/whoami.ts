import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';

interface Caller {
  role: string;
  actor: string;
  team: string | null;
  trainee: string | null;
}

/** `lab whoami`: what the token this CLI sends makes you (a trainee checks its token here). */
export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'who the lab takes you for: role, name in the events, team',
  usage: 'lab whoami [--json]',
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run({ values, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const caller = await trainingClient(lab, config).get<Caller>('/api/whoami');
    result(values.json ? JSON.stringify(caller, null, 2) : `${caller.actor} (${caller.role}${caller.team ? `, team ${caller.team}` : ''})`);
    return exitCodes.ok;
  },
};

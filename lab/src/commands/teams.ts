import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';

interface Team {
  name: string;
  createdAt: string;
  trainees: number;
}

const usage = 'lab teams [add <team>] [--json]';

/** `lab teams` and `lab teams add <team>`: the teams trainees belong to (instructor). */
export const teamsCommand: Command = {
  name: 'teams',
  summary: 'list the teams; `lab teams add <team>` adds one (instructor)',
  usage,
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 2 },
  async run({ values, positionals, config }) {
    const [action, name] = positionals;
    if (action !== undefined && action !== 'add' && action !== 'list') throw new UsageError(`unknown teams action "${action}"; usage: ${usage}`);
    if (action === 'add' && name === undefined) throw new UsageError('usage: lab teams add <team>');
    if (action !== 'add' && name !== undefined) throw new UsageError(`usage: ${usage}`);
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config, 'instructor');
    if (action === 'add') {
      const team = await client.post<Team>('/api/teams', { name });
      result(values.json ? JSON.stringify(team, null, 2) : `team ${team.name} added; add trainees with \`lab trainees add <name> --team ${team.name}\``);
      return exitCodes.ok;
    }
    const { teams } = await client.get<{ teams: Team[] }>('/api/teams');
    if (values.json) result(JSON.stringify({ teams }, null, 2));
    else if (teams.length === 0) result('no teams yet; `lab teams add <team>` adds one');
    else {
      const width = Math.max(...teams.map((t) => t.name.length));
      for (const team of teams) result(`${team.name.padEnd(width)}  ${team.trainees} trainee${team.trainees === 1 ? '' : 's'}`);
    }
    return exitCodes.ok;
  },
};

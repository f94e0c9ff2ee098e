import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { personalTokenPath } from '../cli/caller-token.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';
import { traineeAccountOnAdd, traineeAccountOnRemove, traineeNameRefusal } from '../ssh/trainee-account-steps.ts';

interface Trainee {
  name: string;
  team: string;
  createdAt: string;
}

const usage = 'lab trainees [add <name> --team <team> | remove <name>] [--json]';

/**
 * `lab trainees`, `lab trainees add <name> --team <team>`, `lab trainees remove <name>`: the
 * trainees and their tokens (instructor). A token is printed once, when its trainee is added.
 */
export const traineesCommand: Command = {
  name: 'trainees',
  summary:
    'list the trainees; `lab trainees add <name> --team <team>` adds one, prints its token (once) and, as root, makes its SSH account; `remove <name>` revokes both (instructor)',
  usage,
  options: { team: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 2 },
  async run({ values, positionals, config }) {
    const [action = 'list', name] = positionals;
    if (!['list', 'add', 'remove'].includes(action)) throw new UsageError(`unknown trainees action "${action}"; usage: ${usage}`);
    if (action === 'list' && name !== undefined) throw new UsageError(`usage: ${usage}`);
    if (action !== 'list' && name === undefined) throw new UsageError(`usage: lab trainees ${action} <name>${action === 'add' ? ' --team <team>' : ''}`);
    if (action === 'add' && typeof values.team !== 'string') throw new UsageError('lab trainees add needs --team <team> (`lab teams` lists them)');
    if (action !== 'add' && values.team !== undefined) throw new UsageError(`lab trainees ${action} takes no --team`);
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config, 'instructor');

    if (action === 'add') {
      const refusal = traineeNameRefusal(config.stateDir, name!);
      if (refusal) throw new UsageError(`${refusal} (it becomes the trainee's SSH account fd-${name})`);
      const added = await client.post<Trainee & { token: string }>('/api/trainees', { name, team: values.team });
      // The running lab's ports and teams (lab.json), whatever this shell's LAB_PORT_BASE and LAB_TEAMS say.
      await traineeAccountOnAdd({ ...config, ports: lab.ports, portBase: lab.state.portBase, teams: lab.state.teams ?? [] }, added);
      if (values.json) {
        result(JSON.stringify(added, null, 2));
        return exitCodes.ok;
      }
      // The token on stdout alone, so it can be piped; the instructions on stderr.
      progress(`lab: trainee ${added.name} added to team ${added.team}. Its token follows; it is shown only this once.`);
      progress(`lab: the trainee puts it in FIREDRILL_TOKEN, or in ${personalTokenPath('~')} (chmod 600), then checks with \`lab whoami\`.`);
      result(added.token);
      return exitCodes.ok;
    }
    if (action === 'remove') {
      const removed = await client.delete<Trainee>(`/api/trainees/${encodeURIComponent(name!)}`);
      traineeAccountOnRemove(config, removed.name);
      result(values.json ? JSON.stringify(removed, null, 2) : `trainee ${removed.name} removed from team ${removed.team}; its token no longer works`);
      return exitCodes.ok;
    }
    const { trainees } = await client.get<{ trainees: Trainee[] }>('/api/trainees');
    if (values.json) result(JSON.stringify({ trainees }, null, 2));
    else if (trainees.length === 0) result('no trainees yet; `lab trainees add <name> --team <team>` adds one');
    else {
      const width = Math.max(...trainees.map((t) => t.name.length));
      for (const trainee of trainees) result(`${trainee.name.padEnd(width)}  team ${trainee.team}`);
    }
    return exitCodes.ok;
  },
};

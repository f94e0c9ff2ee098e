import { leverUsage } from '@firedrill/training';
import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient, type LeverOutcome } from '../cli/training-client.ts';

/**
 * `lab lever <lever…>`: any lever as scenario files write it, recorded with who pulled it. In a
 * class, `--team` names whose shop (the instructor's and operator's choice; a trainee's is its own).
 */
export const leverCommand: Command = {
  name: 'lever',
  summary: 'pull a lever as scenario files write it, e.g. `lab lever end-db-sessions`, `lab lever redis-delete "batch:*"`',
  usage: `lab lever <lever…> [--team T] [--json]\n\n  levers: ${Object.values(leverUsage).join('\n          ')}\n\n  --team T: in a class, the team whose shop it acts on`,
  options: { json: { type: 'boolean' }, team: { type: 'string' } },
  positionals: { min: 1, max: 4 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const team = typeof values.team === 'string' ? values.team : undefined;
    const outcome = await trainingClient(lab, config).post<LeverOutcome>('/api/levers', { lever: positionals.join(' '), ...(team && { team }) });
    result(values.json ? JSON.stringify(outcome, null, 2) : outcome.summary);
    return exitCodes.ok;
  },
};

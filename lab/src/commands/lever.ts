import { leverUsage } from '@firedrill/training';
import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient, type LeverOutcome } from '../cli/training-client.ts';

/** `lab lever <lever…>`: any lever as scenario files write it, recorded with who pulled it. */
export const leverCommand: Command = {
  name: 'lever',
  summary: 'pull a lever as scenario files write it, e.g. `lab lever end-db-sessions`, `lab lever redis-delete "batch:*"`',
  usage: `lab lever <lever…> [--json]\n\n  levers: ${Object.values(leverUsage).join('\n          ')}`,
  options: { json: { type: 'boolean' } },
  positionals: { min: 1, max: 4 },
  async run({ values, positionals, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const outcome = await trainingClient(lab, config).post<LeverOutcome>('/api/levers', { lever: positionals.join(' ') });
    result(values.json ? JSON.stringify(outcome, null, 2) : outcome.summary);
    return exitCodes.ok;
  },
};

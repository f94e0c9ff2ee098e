import { maxWorkers } from '@firedrill/lab-infra';
import { exitCodes, UsageError, type Command } from '../cli/command.ts';
import { progress } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient, type LeverOutcome } from '../cli/training-client.ts';
import { waitHealthy } from '../cli/wait-healthy.ts';
import { controlClient } from '../supervisor/control-client.ts';

/** `lab scale worker N`: N consumer processes of the fulfilment queue (worker, worker-2, …). */
export const scaleCommand: Command = {
  name: 'scale',
  summary: `run N worker processes (1–${maxWorkers}), each consuming the fulfilment queue`,
  usage: 'lab scale worker <N>',
  positionals: { min: 2, max: 2 },
  async run({ positionals, config }) {
    const [service, count] = positionals;
    if (service !== 'worker') throw new UsageError(`only the worker scales; usage: ${scaleCommand.usage}`);
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const outcome = await trainingClient(lab, config).post<LeverOutcome>('/api/levers', { lever: `scale worker ${count}` });
    progress(`lab: ${outcome.summary}; waiting for them to be healthy`);
    return waitHealthy(controlClient(lab.state, config), (outcome.details.processes as string[] | undefined) ?? ['worker']);
  },
};

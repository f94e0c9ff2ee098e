import type { Command } from '../cli/command.ts';
import { runSupervisor } from '../supervisor/run-supervisor.ts';

/** What `lab up --detach` runs in the background: the supervisor alone, logging to stderr. */
export const superviseCommand: Command = {
  name: 'supervise',
  summary: 'run the supervisor in the foreground without waiting or printing URLs (used by up --detach)',
  usage: 'lab supervise',
  hidden: true,
  async run({ config }) {
    const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
    const { stopped } = await runSupervisor(config, log);
    await stopped;
    return 0;
  },
};

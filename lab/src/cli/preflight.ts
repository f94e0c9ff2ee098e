import type { LabConfig } from '../config/lab-config.ts';
import { isPortOpen } from '@firedrill/lab-infra';
import { labProcesses } from '../topology/lab-processes.ts';
import { LabRefusal } from './command.ts';

/**
 * Fails before anything starts when a port of the plan is taken: a half-started lab whose
 * Postgres lost the race is much harder to understand than this message.
 */
export async function assertPortsFree(config: LabConfig): Promise<void> {
  const wanted = [
    { name: 'supervisor', port: config.ports.supervisor },
    ...labProcesses(config).flatMap((p) => [p.port, ...(p.otherPorts ?? [])].map((port) => ({ name: p.name, port }))),
  ];
  const taken = (await Promise.all(wanted.map(async (w) => ((await isPortOpen(w.port)) ? w : undefined)))).filter((w) => w !== undefined);
  if (taken.length > 0) {
    throw new LabRefusal(
      `port${taken.length > 1 ? 's' : ''} already in use: ${taken.map((t) => `${t.port} (${t.name})`).join(', ')}; ` +
        `another program or another lab holds ${taken.length > 1 ? 'them' : 'it'}: choose another block with LAB_PORT_BASE (now ${config.portBase})`,
    );
  }
}

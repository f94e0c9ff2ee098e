import { portsFor, type PortName } from '@firedrill/lab-infra';
import { isFinished, runsApi } from '@firedrill/training';
import type { LabConfig } from '../config/lab-config.ts';
import type { LabState } from '../supervisor/lab-state.ts';
import { progress } from './output.ts';
import { trainingClient } from './training-client.ts';

/**
 * Stops the run in progress, if any, and waits for its cleanup — while the services, the chaos
 * controller and the supervisor it needs are still up. Called before the lab stops: the training
 * process also stops its run when it is shut down, but by then the processes its cleanup restarts
 * (a rolled-back release) may already be going, leaving the restore to the next start.
 * Best effort: a lab whose training process does not answer is stopped anyway.
 */
export async function stopCurrentRun(config: LabConfig, state: LabState): Promise<void> {
  const lab = { state, ports: portsFor(state.portBase) as Record<PortName, number> };
  try {
    const api = runsApi(trainingClient(lab, config, 'instructor'));
    const current = (await api.runs()).find((run) => !isFinished(run.state));
    if (!current) return;
    progress(`lab: stopping run ${current.id} first, so its cleanup still finds the shop running`);
    const run = await api.stop(current.id);
    progress(`lab: run ${run.id} ${run.state.replace('_', ' ')}; faults cleared, releases, flags and load restored`);
  } catch (err) {
    progress(`lab: could not stop the run in progress (${(err as Error).message}); the next \`lab up\` finishes its cleanup`);
  }
}

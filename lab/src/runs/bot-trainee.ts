import type { PortName } from '@firedrill/lab-infra';
import { LabRefusal } from '../cli/command.ts';
import type { Run } from './runs-api.ts';

/** Where the bot finds what a trainee reaches: the shop, its metrics and alerts, the lab's levers. */
export interface LabUrls {
  api: string;
  payments: string;
  worker: string;
  /** The lab's alert record (GET /api/alerts, open to anyone): symptoms, never faults. */
  chaos: string;
  training: string;
  prometheus: string;
  alertmanager: string;
}

/** The bot trainee's entry (training/src/bot): it works the run with trainee means until `signal`. */
export type RunBot = (input: { run: Run; labUrls: LabUrls; operatorToken: string; signal: AbortSignal; log: (line: string) => void }) => Promise<unknown>;

export function labUrlsOf(ports: Readonly<Record<PortName, number>>): LabUrls {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    api: url(ports.api),
    payments: url(ports.payments),
    worker: url(ports.worker),
    chaos: url(ports.chaos),
    training: url(ports.training),
    prometheus: url(ports.prometheus),
    alertmanager: url(ports.alertmanager),
  };
}

/**
 * The bot, imported only when --bot asks for it. It is checked before a run starts, so a lab
 * without one refuses at once instead of starting a run nobody will work.
 */
export async function loadBot(load: () => Promise<Record<string, unknown>> = () => import('@firedrill/training')): Promise<RunBot> {
  const training = await load();
  if (typeof training.runBot !== 'function')
    throw new LabRefusal('--bot: this lab has no bot trainee (@firedrill/training exports no runBot); run without --bot and pull the levers yourself');
  return training.runBot as RunBot;
}

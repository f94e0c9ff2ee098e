import { setTimeout as sleep } from 'node:timers/promises';
import type { BasicCredentials } from '@firedrill/kit';
import { teamPortsFor } from '@firedrill/lab-infra';
import { LabRefusal } from '../cli/command.ts';
import type { RunningLab } from '../cli/running-lab.ts';
import type { Run, RunsApi } from '@firedrill/training';

/** Where the bot finds what a trainee reaches: the shop, its metrics and alerts, the lab's levers. */
export interface LabUrls {
  /** In a class, the team whose shop api, payments and worker are (its series carry `team`); absent in a single lab. */
  team?: string;
  api: string;
  payments: string;
  worker: string;
  /** The lab's alert record (GET /api/alerts, open to anyone): symptoms, never faults. */
  chaos: string;
  training: string;
  prometheus: string;
  /** Prometheus' basic auth (the lab's state dir), when it asks for one. */
  prometheusCredentials?: BasicCredentials;
  alertmanager: string;
}

/** The bot trainee's entry (training/src/bot): it works the run with trainee means until `signal`. */
export type RunBot = (input: {
  run: Run;
  labUrls: LabUrls;
  operatorToken: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** The lab's logs (what `lab logs` reads): the bot names a crash loop's poison job from the worker's. */
  logsDir?: string;
}) => Promise<unknown>;

/**
 * The URLs of the running lab for the bot of a run of `team`: in a class, that team's shop (its
 * block of ports, docs/decisions/0015) — the base block's shop ports are unused there; in a single
 * lab its one shop, whatever training team the run is for.
 */
export function labUrlsOf(
  lab: Pick<RunningLab, 'ports'> & { state: { portBase: number; teams?: string[] | undefined } },
  team: string | null,
  prometheusCredentials?: BasicCredentials,
): LabUrls {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const teams = lab.state.teams ?? [];
  const classTeam = team !== null && teams.includes(team) ? team : undefined;
  const shop = classTeam === undefined ? lab.ports : teamPortsFor(lab.state.portBase, teams.indexOf(classTeam) + 1);
  return {
    ...(classTeam !== undefined && { team: classTeam }),
    api: url(shop.api),
    payments: url(shop.payments),
    worker: url(shop.worker),
    chaos: url(lab.ports.chaos),
    training: url(lab.ports.training),
    prometheus: url(lab.ports.prometheus),
    alertmanager: url(lab.ports.alertmanager),
    ...(prometheusCredentials && { prometheusCredentials }),
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

export interface BotSession {
  /** Starts the bot on the run (once the run is live). */
  start(): void;
  /**
   * Lets a started bot finish on its own, at most `maxWaitMs`: after the run ends it still
   * resolves its incident and submits its review (the incident routes take commands until the
   * debrief). Answers whether it finished in time; `stop` ends it either way.
   */
  finish(maxWaitMs?: number): Promise<boolean>;
  /** Stops the bot (the watch is over); answers whether it had been started. */
  stop(): Promise<boolean>;
}

/** How long the CLI waits, after the run ended, for the bot to resolve and submit its review. */
export const botFinishWaitMs = 120_000;

/**
 * The bot working one run beside the watch: it gets the run as it is when live, the lab's URLs and
 * the operator token (the trainee's means), and reports through the view. Its failure is shown,
 * never fatal: the lab owns the run, and a person can still pull a lever.
 */
export function botSession(
  bot: RunBot,
  context: {
    api: RunsApi;
    runId: string;
    /** The lab's URLs for the run's team (labUrlsOf): known once the run is. */
    labUrlsFor: (team: string | null) => LabUrls;
    operatorToken: () => string;
    log: (line: string) => void;
    logsDir?: string;
    stopWaitMs?: number;
  },
): BotSession {
  const stopping = new AbortController();
  let work: Promise<void> | undefined;
  return {
    start() {
      work ??= (async () => {
        context.log('the run is live: the bot trainee takes the pager');
        const run = await context.api.run(context.runId, stopping.signal);
        await bot({
          run,
          labUrls: context.labUrlsFor(run.team),
          operatorToken: context.operatorToken(),
          signal: stopping.signal,
          log: context.log,
          ...(context.logsDir && { logsDir: context.logsDir }),
        });
        if (!stopping.signal.aborted) context.log('the bot trainee is done');
      })().catch((err: Error) => {
        if (!stopping.signal.aborted) context.log(`the bot trainee failed: ${err.message}`);
      });
    },
    async finish(maxWaitMs = botFinishWaitMs) {
      if (!work) return false;
      const finished = await Promise.race([work.then(() => true), sleep(maxWaitMs).then(() => false)]);
      return finished;
    },
    async stop() {
      stopping.abort();
      if (!work) return false;
      // A bot that ignores its signal must not hold the CLI open.
      await Promise.race([work, sleep(context.stopWaitMs ?? 5_000)]);
      return true;
    },
  };
}

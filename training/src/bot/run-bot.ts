import { type BasicCredentials, prometheusClient } from '@firedrill/kit';

import { runBotRunbook } from './bot-runbooks.ts';
import { metricsObserver } from './metrics-observer.ts';
import type { PolicyOptions } from './responder-policy.ts';
import { respond, type BotOutcome } from './respond.ts';
import { traineeClients } from './trainee-clients.ts';
import { findPoisonJob, readWorkerLogTail } from './worker-log.ts';

export interface RunBotOptions {
  run: { id: string };
  /**
   * api and payments: for the runbooks' HTTP probes (a readiness check); without them those probes fail.
   * team: in a class, the team whose shop these are (the run's): the bot's metrics are that team's
   * series; absent in a single lab, whose series need no team picked (a run's team there is a
   * training team, not a label of the shop's series).
   */
  labUrls: {
    team?: string | undefined;
    training: string;
    chaos: string;
    prometheus: string;
    prometheusCredentials?: BasicCredentials | undefined;
    api?: string | undefined;
    payments?: string | undefined;
  };
  /** The operator token: a trainee's rights, never the instructor's. */
  operatorToken: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** The lab's logs directory (`lab logs` reads it), for the worker's fatal lines; without it a crash loop's job stays unnamed. */
  logsDir?: string | undefined;
  /** Who the events name as having pulled the levers (X-Firedrill-Actor), and the name of its incident roles. */
  actorName?: string | undefined;
  policy?: PolicyOptions | undefined;
  roundMs?: number | undefined;
  /** Where the executable runbooks are (default docs/runbooks). */
  runbooksDir?: string | undefined;
}

/**
 * The bot trainee: waits for a page, acknowledges and declares it, diagnoses from symptoms the way
 * the runbooks do, runs the runbook that pulls the lever, keeps the status updates coming, and
 * once the run has ended resolves the incident and submits its review. Resolves then, or when
 * `signal` aborts (with `ended: 'aborted'`).
 */
export async function runBot(options: RunBotOptions): Promise<BotOutcome> {
  const actorName = options.actorName ?? 'bot';
  // The lab's Prometheus (basic auth): the bot reads the golden-signal recordings, its shop's team's in a class.
  const prometheus = prometheusClient({ url: options.labUrls.prometheus, credentials: options.labUrls.prometheusCredentials });
  const clients = traineeClients({
    runId: options.run.id,
    trainingUrl: options.labUrls.training,
    chaosUrl: options.labUrls.chaos,
    prometheus,
    serviceUrls: { api: options.labUrls.api, payments: options.labUrls.payments },
    operatorToken: options.operatorToken,
    actorName,
    signal: options.signal,
  });
  const startedAt = await clients.runStartedAt().catch(() => undefined);
  const logsDir = options.logsDir;
  return respond({
    clients,
    runRunbook: (choice) => runBotRunbook(choice, clients, options.runbooksDir),
    runStatus: () => clients.runStatus(),
    metrics: metricsObserver(prometheus, { team: options.labUrls.team, signal: options.signal }),
    poisonJob: logsDir ? async (since) => findPoisonJob(await readWorkerLogTail(logsDir), since) : undefined,
    since: startedAt ?? Date.now(),
    signal: options.signal,
    log: options.log,
    actorName,
    policy: options.policy,
    roundMs: options.roundMs,
  });
}

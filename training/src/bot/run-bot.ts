import { metricsObserver } from './metrics-observer.ts';
import type { PolicyOptions } from './responder-policy.ts';
import { respond, type BotOutcome } from './respond.ts';
import { traineeClients } from './trainee-clients.ts';
import { findPoisonJob, readWorkerLogTail } from './worker-log.ts';

export interface RunBotOptions {
  run: { id: string };
  labUrls: { training: string; chaos: string; prometheus: string };
  /** The operator token: a trainee's rights, never the instructor's. */
  operatorToken: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** The lab's logs directory (`lab logs` reads it), for the worker's fatal lines; without it a crash loop's job stays unnamed. */
  logsDir?: string | undefined;
  /** Who the events name as having pulled the levers (X-Firedrill-Actor). */
  actorName?: string | undefined;
  policy?: PolicyOptions | undefined;
  roundMs?: number | undefined;
}

/**
 * The bot trainee: waits for a page, diagnoses from symptoms the way the runbooks do, pulls a
 * lever, and waits for the probes to hold, escalating when a lever did not end it. Resolves when
 * the run ends, or when `signal` aborts (then with `ended: 'aborted'`).
 */
export async function runBot(options: RunBotOptions): Promise<BotOutcome> {
  const clients = traineeClients({
    runId: options.run.id,
    trainingUrl: options.labUrls.training,
    chaosUrl: options.labUrls.chaos,
    operatorToken: options.operatorToken,
    actorName: options.actorName ?? 'bot',
    signal: options.signal,
  });
  const startedAt = await clients.runStartedAt().catch(() => undefined);
  const logsDir = options.logsDir;
  return respond({
    clients,
    runStatus: () => clients.runStatus(),
    metrics: metricsObserver(options.labUrls.prometheus, options.signal),
    poisonJob: logsDir ? async (since) => findPoisonJob(await readWorkerLogTail(logsDir), since) : undefined,
    since: startedAt ?? Date.now(),
    signal: options.signal,
    log: options.log,
    policy: options.policy,
    roundMs: options.roundMs,
  });
}

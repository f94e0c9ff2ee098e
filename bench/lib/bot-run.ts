import { readBasicCredentials } from '@firedrill/kit';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeLab } from '@firedrill/lab-infra';
import { runBot, type BotOutcome } from '@firedrill/training';
import { isFinished, longPollMs, runsApi, type Run, type RunEvent } from '@firedrill/training';

/** The runs API client the lab's CLI uses, over a plain token (the bench reads the lab's state dir itself). */
function trainingClient(baseUrl: string, token: string) {
  const call = async <T>(method: string, route: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(90_000)]) : AbortSignal.timeout(90_000),
      headers: {
        authorization: `Bearer ${token}`,
        'x-firedrill-actor': 'bench',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => ({}))) as T & { detail?: string; title?: string };
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${answer.detail ?? answer.title ?? ''}`);
    return answer;
  };
  return {
    get: <T>(route: string, signal?: AbortSignal) => call<T>('GET', route, undefined, signal),
    post: <T>(route: string, body?: unknown) => call<T>('POST', route, body),
    put: <T>(route: string, body: unknown) => call<T>('PUT', route, body),
  };
}

export interface BotRun {
  run: Run;
  /** Every event of the run, as the instructor sees them (fault.injected included). */
  events: RunEvent[];
  /** What the bot did; undefined if the run never went live. */
  bot: BotOutcome | undefined;
  /** The run outlasted `boundMs` and the bench stopped it. */
  stoppedByBench: boolean;
}

/**
 * One run of `scenario` on `lab`, worked by the bot trainee as `lab scenario run --bot` does: the
 * run is started as the operator, the bot takes the pager once the run is live (trainee means
 * only: the operator token, alerts, metrics, the worker's logs), and the run's journal is followed
 * as the instructor until the run ends. A run still going after `boundMs` is stopped (its cleanup
 * still runs), so one stuck lab cannot hold the bench.
 */
export async function playWithBot(
  lab: NativeLab,
  scenario: string,
  options: { seed?: number | undefined; boundMs: number; log: (line: string) => void },
): Promise<BotRun> {
  const training = lab.url('training');
  const operatorToken = readFileSync(path.join(lab.stateDir, 'secrets', 'operator-token'), 'utf8').trim();
  const operator = runsApi(trainingClient(training, operatorToken));
  const instructor = runsApi(trainingClient(training, lab.instructorToken));

  const started = await operator.start({ scenario, ...(options.seed !== undefined && { seed: options.seed }) });
  options.log(`run ${started.id} started (${started.state})`);
  const stopBot = new AbortController();
  let bot: Promise<BotOutcome> | undefined;
  const events: RunEvent[] = [];
  const deadline = Date.now() + options.boundMs;
  let stoppedByBench = false;
  let ended = false;
  try {
    while (!ended) {
      if (!stoppedByBench && Date.now() > deadline) {
        options.log(`still going after ${Math.round(options.boundMs / 1000)} s: the bench stops it`);
        await operator.stop(started.id);
        stoppedByBench = true;
      }
      const page = await instructor.events(started.id, events.at(-1)?.id ?? 0, longPollMs);
      events.push(...page);
      for (const event of page) {
        const state = event.kind === 'run.state' ? String(event.data?.state) : undefined;
        if (state === 'live' && !bot) {
          options.log('live: the bot trainee takes the pager');
          bot = runBot({
            run: { id: started.id },
            labUrls: {
              training,
              chaos: lab.url('chaos'),
              prometheus: lab.url('prometheus'),
              prometheusCredentials: readBasicCredentials(path.join(lab.stateDir, 'secrets', 'prometheus-credentials')),
            },
            operatorToken,
            signal: stopBot.signal,
            // Its lines begin with `bot:` already.
            log: options.log,
            logsDir: path.join(lab.stateDir, 'logs'),
          });
        }
        if (state && isFinished(state)) ended = true;
      }
    }
  } finally {
    stopBot.abort();
  }
  // A bot that ignores its signal must not hold the bench.
  const outcome = bot
    ? await Promise.race([
        bot.catch((err: Error) => {
          options.log(`bot: failed: ${err.message}`);
          return undefined;
        }),
        sleep(10_000, undefined),
      ])
    : undefined;
  return { run: await instructor.run(started.id), events, bot: outcome, stoppedByBench };
}

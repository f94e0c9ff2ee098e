import { readBasicCredentials } from '@firedrill/kit';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeLab } from '@firedrill/lab-infra';
import { runBot, type BotOutcome } from '../../../src/bot/index.ts';
import { runsApi, type Run, type RunEvent } from '../../helpers/runs-api.ts';
import { startOrderProbe, type ProbeOrders } from './order-probe.ts';

/** One look at a symptom, taken while the run went (the test decides what to look at). */
export interface Sample<T> {
  at: number;
  value: T;
}

export interface LabPlay<T> {
  run: Run;
  /** Every event of the run, as the instructor sees them (fault.injected and cause.ended included). */
  events: RunEvent[];
  bot: BotOutcome;
  /** The bot's log, for failure messages. */
  botLines: string[];
  /** What `sample` saw, every few seconds from the start of the run to its end. */
  samples: Sample<T>[];
  orders: ProbeOrders;
  /** From the run's start to its end as this test saw it. */
  wallMs: number;
}

export interface PlayOptions<T> {
  speed?: number;
  seed?: number;
  /** Looks at the curriculum's symptom (a PromQL value, a readiness answer...); undefined: nothing seen. */
  sample?: () => Promise<T | undefined>;
  sampleEveryMs?: number;
  /** The most the run may take from its start to its end. */
  timeoutMs: number;
}

/**
 * Plays one lab the way `lab scenario run <id> --bot` does: the run is started through the runs
 * API with the operator's token, and once it is live the bot trainee (runBot, trainee means only)
 * works it until it ends. Beside it the test samples the lab's symptom and places orders of its
 * own, so it can show the symptom while the fault was in and reconcile every accepted order.
 */
export async function playWithBot<T>(lab: NativeLab, scenario: string, options: PlayOptions<T>): Promise<LabPlay<T>> {
  const api = runsApi(lab);
  const startedAt = Date.now();
  const started = await api.start({
    scenario,
    ...(options.speed !== undefined && { speed: options.speed }),
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  if (started.status !== 201) throw new Error(`the run did not start: ${started.status} ${JSON.stringify(started.body)}`);
  const runId = started.body.id;

  const probe = startOrderProbe(lab.url('api'));
  const sampling = new AbortController();
  const samples: Sample<T>[] = [];
  const sampler = (async () => {
    if (!options.sample) return;
    while (!sampling.signal.aborted) {
      const value = await options.sample().catch(() => undefined);
      if (value !== undefined) samples.push({ at: Date.now(), value });
      await sleep(options.sampleEveryMs ?? 2_000, undefined, { signal: sampling.signal }).catch(() => {});
    }
  })();

  const botLines: string[] = [];
  try {
    const deadline = startedAt + options.timeoutMs;
    // The CLI starts the bot when the run goes live (its watcher's onLive); so does this. The bot
    // returns after the run ended and it resolved the incident and submitted its review.
    await api.waitForEvent(runId, (e) => e.kind === 'run.state' && e.data.state !== 'warming', options.timeoutMs);
    const bot = await runBot({
      run: { id: runId },
      labUrls: {
        training: lab.url('training'),
        chaos: lab.url('chaos'),
        prometheus: lab.url('prometheus'),
        prometheusCredentials: readBasicCredentials(path.join(lab.stateDir, 'secrets', 'prometheus-credentials')),
        api: lab.url('api'),
        payments: lab.url('payments'),
      },
      operatorToken: readFileSync(path.join(lab.stateDir, 'secrets', 'operator-token'), 'utf8').trim(),
      signal: AbortSignal.timeout(Math.max(1_000, deadline - Date.now())),
      log: (line) => botLines.push(`${new Date().toISOString().slice(11, 19)} ${line}`),
      logsDir: path.join(lab.stateDir, 'logs'),
    });
    const run = await api.waitForEnd(runId, Math.max(5_000, deadline - Date.now()));
    return { run, events: await api.events(runId), bot, botLines, samples, orders: probe.orders, wallMs: Date.now() - startedAt };
  } catch (err) {
    throw new Error(`${(err as Error).message}\nbot:\n${botLines.join('\n')}`, { cause: err });
  } finally {
    sampling.abort();
    await Promise.all([sampler, probe.stop()]);
    // A failed test must not leave its run going into the next file's lab.
    const run = await api.run(runId).catch(() => undefined);
    if (run && ['warming', 'live'].includes(run.state)) await api.call('POST', `/api/runs/${runId}/stop`, 'instructor').catch(() => {});
  }
}

/** When the run's first fault went in and when its last cause ended (ms since the epoch). */
export function faultWindow(events: readonly RunEvent[]): { from: number; to: number } {
  const at = (e: RunEvent) => Date.parse(e.at);
  const injected = events.filter((e) => e.kind === 'fault.injected').map(at);
  const ended = events.filter((e) => e.kind === 'cause.ended').map(at);
  if (injected.length === 0) throw new Error('the run injected no fault');
  return { from: Math.min(...injected), to: ended.length > 0 ? Math.max(...ended) : Number.POSITIVE_INFINITY };
}

/** The samples taken while the fault was in. */
export function duringFault<T>(play: LabPlay<T>): T[] {
  const { from, to } = faultWindow(play.events);
  return play.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.value);
}

/** The samples taken before any fault (the shop's steady state). */
export function beforeFault<T>(play: LabPlay<T>): T[] {
  const { from } = faultWindow(play.events);
  return play.samples.filter((s) => s.at < from).map((s) => s.value);
}

/** The bot's log and the run's events, for an assertion's message. */
export function story(play: LabPlay<unknown>): string {
  const events = play.events.map((e) => `${e.kind} ${e.actor} ${JSON.stringify(e.data).slice(0, 200)}`);
  return `run ${play.run.id} ${play.run.state} (${play.run.reason ?? ''})\nbot:\n${play.botLines.join('\n')}\nevents:\n${events.join('\n')}`;
}

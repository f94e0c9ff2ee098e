import { setTimeout as sleep } from 'node:timers/promises';
import { LabRefusal } from '../cli/command.ts';
import { TrainingApiError } from '../cli/training-client.ts';
import type { RunView } from './run-views.ts';
import { isFinished, longPollMs, type Run, type RunsApi } from '@firedrill/training';

export interface WatchOptions {
  api: RunsApi;
  runId: string;
  view: RunView;
  /** Aborted on Ctrl-C: the watch detaches, the run goes on. */
  signal: AbortSignal;
  /** Called once, when the run is live (for --bot). */
  onLive?: () => void;
  statusEveryMs?: number;
  /** How long the training process may not answer (restarting, say) before the watch gives up. */
  patienceMs?: number;
}

/**
 * Watches a run until it ends: events by long poll (each shown as it comes), /status every 2 s
 * for the live screen. The lab owns the run; the watcher only reads, so stopping the watcher
 * (Ctrl-C: `signal`) leaves the run going and answers 'detached'. Otherwise answers the run as it
 * ended, after every event up to its end has been shown.
 */
export async function watchRun(options: WatchOptions): Promise<Run | 'detached'> {
  const { api, runId, view, signal } = options;
  const statusEveryMs = options.statusEveryMs ?? 2_000;
  const retry = retrier(view, signal, options.patienceMs ?? 60_000);
  try {
    const run = await retry(() => api.run(runId, signal));
    view.start(run);

    // Both loops stop when the run ends (either may see it first) or on Ctrl-C.
    const ended = new AbortController();
    const polling = AbortSignal.any([signal, ended.signal]);
    let liveSeen = false;
    const seen = (state: unknown) => {
      if (state === 'live' && !liveSeen) {
        liveSeen = true;
        options.onLive?.();
      }
      if (typeof state === 'string' && isFinished(state)) ended.abort();
    };
    seen(run.state);

    let after = 0;
    const eventsLoop = async () => {
      while (!polling.aborted) {
        const events = await retry(() => api.events(runId, after, longPollMs, polling));
        for (const event of events) {
          view.event(event);
          after = Math.max(after, event.id);
          if (event.kind === 'run.state') seen(event.data?.state);
        }
      }
    };
    const statusLoop = async () => {
      while (!polling.aborted) {
        const status = await retry(() => api.status(runId, polling));
        view.status(status);
        seen(status.state);
        await sleep(statusEveryMs, undefined, { signal: polling });
      }
    };
    const failures = (await Promise.allSettled([untilAborted(eventsLoop(), polling), untilAborted(statusLoop(), polling)])).flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    if (failures.length > 0) throw failures[0];
    if (signal.aborted) return detached(view, runId);

    // Ended: show what came after the last event seen (the run's final state among it), then the run.
    for (;;) {
      const events = await retry(() => api.events(runId, after, 0, signal));
      if (events.length === 0) break;
      for (const event of events) view.event(event);
      after = Math.max(after, ...events.map((e) => e.id));
    }
    const final = await retry(() => api.run(runId, signal));
    view.finish(final);
    return final;
  } catch (err) {
    if (signal.aborted) return detached(view, runId);
    throw err;
  }
}

function detached(view: RunView, runId: string): 'detached' {
  view.detach(runId);
  return 'detached';
}

/** The loop's own abort (the run ended, Ctrl-C) is how it stops, not a failure. */
async function untilAborted(loop: Promise<void>, signal: AbortSignal): Promise<void> {
  try {
    await loop;
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

/**
 * Calls the API again while the training process does not answer or answers 5xx (a restart, a
 * deploy in the middle of a lab), saying so on the view; gives up after `patienceMs` of that.
 * Refusals it means (404, 401, 409) are thrown at once.
 */
function retrier(view: RunView, signal: AbortSignal, patienceMs: number) {
  let failingSince: number | undefined;
  return async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const answer = await call();
        if (failingSince !== undefined) view.notice(undefined);
        failingSince = undefined;
        return answer;
      } catch (err) {
        const transient = err instanceof LabRefusal && (!(err instanceof TrainingApiError) || err.status >= 500);
        if (signal.aborted || !transient) throw err;
        failingSince ??= Date.now();
        if (Date.now() - failingSince > patienceMs)
          throw new LabRefusal(`${err.message}; gave up watching after ${patienceMs / 1000} s (the run may go on: \`lab scenario watch\` again later)`);
        view.notice(`${err.message}; retrying`);
        await sleep(1_000, undefined, { signal });
      }
    }
  };
}

import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '@firedrill/kit';
import { requireSession, sessionOf } from '../session/require-session.ts';
import type { SessionStore } from '../session/session-store.ts';
import { createRunStatusWatch, type FetchStatus, type StatusSubscription } from '../runs/run-status-watch.ts';
import { callTraining } from '../training-client.ts';

const streamParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,64}$/, 'must be a run id such as run-0123456789ab') });
const lastEventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).catch(0);

export interface RunStreamDeps {
  sessions: SessionStore;
  trainingUrl: string;
  /** How long each long poll of the training API waits for an event (its maximum is 25 s). */
  pollWaitMs?: number;
  /** After a failed poll, wait this long before the next (the training process restarting). */
  retryMs?: number;
  /** How often the shared status poller asks for each watched run's status. */
  statusEveryMs?: number;
}

function send(res: Response, event: string, data: unknown, id?: number): void {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The run's status as the holder of `token` sees it (JSON text), or undefined when refused or failed. */
function statusFetcher(trainingUrl: string): FetchStatus {
  return async (runId, token, signal) => {
    const response = await callTraining(trainingUrl, token, `/api/runs/${runId}/status`, { signal });
    if (response.ok) return await response.text();
    // Read off so the connection goes back to the pool rather than waiting for the collector.
    await response.body?.cancel();
    return undefined;
  };
}

/**
 * `GET /console/runs/{id}/stream`: the run's events and status as server-sent events. Behind it the
 * console long-polls the training API with the session's own token, so the browser gets exactly
 * what that caller may see. Each event goes out with its id, so a browser that reconnects (EventSource
 * does it by itself) sends Last-Event-ID and resumes where it was. A refusal from the training API
 * (401, 403, 404) is sent as a `problem` event and ends the stream.
 *
 * The status (phase, alerts firing, signals) is asked first with the session's own token (which also
 * checks the caller may see the run), then followed through one shared poller per run and view
 * (run-status-watch.ts) that asks every `statusEveryMs` and at once when an event arrives: the alerts
 * firing are read from the run's events, so a new alert reaches the page as soon as its event does.
 */
export function runEventStream(deps: RunStreamDeps): Router {
  const router = Router();
  const waitMs = deps.pollWaitMs ?? 20_000;
  const retryMs = deps.retryMs ?? 1000;
  const fetchStatus = statusFetcher(deps.trainingUrl);
  const watch = createRunStatusWatch({ fetchStatus, ...(deps.statusEveryMs !== undefined && { everyMs: deps.statusEveryMs }) });
  router.get('/console/runs/:id/stream', requireSession(deps.sessions), async (req, res) => {
    const { id } = parseOrThrow(streamParams, req.params);
    const { token, caller } = sessionOf(req, res);
    let after = lastEventId.parse(req.headers['last-event-id'] ?? 0);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: ${retryMs}\n\n`);
    let lastStatus = '';
    const sendStatus = (text: string) => {
      if (text === lastStatus || gone.signal.aborted) return;
      lastStatus = text;
      send(res, 'run-status', JSON.parse(text));
    };
    let subscription: StatusSubscription | undefined;
    while (!gone.signal.aborted) {
      try {
        if (!subscription) {
          const own = await callTraining(deps.trainingUrl, token, `/api/runs/${id}/status`, { signal: gone.signal });
          if (!own.ok) {
            send(res, 'problem', await own.json().catch(() => ({ status: own.status })));
            break;
          }
          sendStatus(await own.text());
          if (gone.signal.aborted) break;
          subscription = watch.join(id, `${caller.role}:${caller.team ?? ''}`, token, sendStatus);
        }
        const events = await callTraining(deps.trainingUrl, token, `/api/runs/${id}/events?after=${after}&waitMs=${waitMs}`, { signal: gone.signal });
        if (!events.ok) {
          send(res, 'problem', await events.json().catch(() => ({ status: events.status })));
          break;
        }
        const { events: list } = (await events.json()) as { events: Array<{ id: number }> };
        for (const event of list) {
          send(res, 'run-event', event, event.id);
          after = Math.max(after, event.id);
        }
        if (list.length > 0) subscription.nudge();
        // A comment line keeps proxies and the browser from timing the stream out between events.
        else res.write(': waiting\n\n');
      } catch {
        if (gone.signal.aborted) break;
        send(res, 'unavailable', { detail: 'The training API cannot be reached; retrying' });
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
    subscription?.leave();
    res.end();
  });
  return router;
}

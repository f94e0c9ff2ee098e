import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '@firedrill/kit';
import { requireSession, sessionOf } from '../session/require-session.ts';
import type { SessionStore } from '../session/session-store.ts';
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
}

function send(res: Response, event: string, data: unknown, id?: number): void {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * `GET /console/runs/{id}/stream`: the run's events and status as server-sent events. Behind it the
 * console long-polls the training API with the session's own token, so the browser gets exactly
 * what that caller may see. Each event goes out with its id, so a browser that reconnects (EventSource
 * does it by itself) sends Last-Event-ID and resumes where it was. After each poll the run's status
 * (phase, alerts firing) is sent when it changed. A refusal from the training API (401, 403, 404)
 * is sent as a `problem` event and ends the stream.
 */
export function runEventStream(deps: RunStreamDeps): Router {
  const router = Router();
  const waitMs = deps.pollWaitMs ?? 20_000;
  const retryMs = deps.retryMs ?? 1000;
  router.get('/console/runs/:id/stream', requireSession(deps.sessions), async (req, res) => {
    const { id } = parseOrThrow(streamParams, req.params);
    const { token } = sessionOf(req, res);
    let after = lastEventId.parse(req.headers['last-event-id'] ?? 0);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: ${retryMs}\n\n`);
    let lastStatus = '';
    while (!gone.signal.aborted) {
      try {
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
        // A comment line keeps proxies and the browser from timing the stream out between events.
        if (list.length === 0) res.write(': waiting\n\n');
        const status = await callTraining(deps.trainingUrl, token, `/api/runs/${id}/status`, { signal: gone.signal });
        if (status.ok) {
          const text = await status.text();
          if (text !== lastStatus) {
            lastStatus = text;
            send(res, 'run-status', JSON.parse(text));
          }
        }
      } catch {
        if (gone.signal.aborted) break;
        send(res, 'unavailable', { detail: 'The training API cannot be reached; retrying' });
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
    res.end();
  });
  return router;
}

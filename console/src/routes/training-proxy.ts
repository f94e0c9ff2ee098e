import express, { Router } from 'express';
import { csrfTokenRequired } from '../session/csrf-guard.ts';
import { requireSession, sessionOf } from '../session/require-session.ts';
import type { SessionStore } from '../session/session-store.ts';
import { callTraining } from '../training-client.ts';

/** Response headers worth passing back to the browser (not the training API's cookies or connection headers). */
const passedBack = ['content-type', 'www-authenticate', 'retry-after', 'location', 'idempotency-replayed'];

/**
 * Request headers the training API reads besides the token: a retried incident command carries
 * the same Idempotency-Key, so it is recorded once. (The actor comes from the session's token,
 * never from the browser: X-Firedrill-Actor is not forwarded.)
 */
const passedOn = ['idempotency-key'];

/**
 * The training API's HTML (a run's report: inline style and SVG, no script) is shown in a frame of
 * the console's page. It gets a policy of its own: sandboxed, no script, framed only by the console.
 */
const trainingHtmlPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * `/api/*` → the training API, as the session's caller: its own token goes with every request, so
 * the training API's role checks apply unchanged (a trainee gets 403 on instructor routes, and
 * instructor-only events are filtered out before they leave the training process). The browser
 * calls the same documented API as the CLI; the console adds nothing to it.
 */
export function trainingProxy(deps: { sessions: SessionStore; trainingUrl: string }): Router {
  const router = Router();
  router.use(
    '/api',
    requireSession(deps.sessions),
    csrfTokenRequired(),
    // The body as bytes, for the training API to validate (its own limits apply; this one is the PIR's).
    express.raw({ type: () => true, limit: '256kb' }),
    async (req, res) => {
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const hasBody = !['GET', 'HEAD'].includes(req.method) && Buffer.isBuffer(req.body) && req.body.length > 0;
      const headers: Record<string, string> = { accept: req.headers.accept ?? 'application/json' };
      if (hasBody && req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
      for (const name of passedOn) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const response = await callTraining(deps.trainingUrl, sessionOf(req, res).token, `/api${req.url}`, {
        method: req.method,
        headers,
        ...(hasBody && { body: req.body as Buffer }),
        signal: gone.signal,
      });
      res.status(response.status);
      for (const name of passedBack) {
        const value = response.headers.get(name);
        if (value !== null) res.setHeader(name, value);
      }
      res.setHeader('cache-control', 'no-store');
      if (/^text\/html\b/.test(response.headers.get('content-type') ?? '')) res.setHeader('content-security-policy', trainingHtmlPolicy);
      res.end(Buffer.from(await response.arrayBuffer()));
    },
  );
  return router;
}

import express, { Router, type RequestHandler } from 'express';
import { HttpProblem, problems } from '@firedrill/kit';
import { csrfTokenRequired } from '../session/csrf-guard.ts';
import { requireSession, sessionOf } from '../session/require-session.ts';
import type { SessionStore } from '../session/session-store.ts';

/**
 * The controller's instructor routes the page uses: the catalogue, the faults (list, inject, one,
 * clear), halt, and the journal (the debrief draws curveballs from it). Nothing else is passed on
 * (the agents' and Alertmanager's routes take other tokens anyway).
 */
const forwardedPaths = /^\/(catalogue|faults|faults\/[\w-]{1,100}|halt|journal)$/;

/** What the controller's X-Firedrill-Actor accepts (request-schemas.ts): who the journal names. */
const journalActor = /^[\w.@:-]{1,64}$/;

/** Response headers worth passing back to the browser (not Location: it names the controller's path, not the console's). */
const passedBack = ['content-type', 'www-authenticate'];

/** Only an instructor's session goes on; everyone else is answered here, the controller never asked. */
const instructorOnly: RequestHandler = (req, res, next) => {
  if (sessionOf(req, res).caller.role !== 'instructor')
    return next(new HttpProblem(problems.forbidden, 'Fault controls are for the instructor: trainees see symptoms (alerts, metrics, logs), never the faults'));
  next();
};

/**
 * `/chaos/api/*` → the chaos controller's `/api/*`, for the instructor's curveballs and halt. The
 * session's own token goes on: the lab's instructor token is both the training API's and the
 * controller's (INSTRUCTOR_TOKEN_FILE in lab-processes.ts), so the console holds no secret of its
 * own for this. The journal names the signed-in actor (from the session, never from the browser).
 */
export function chaosProxy(deps: { sessions: SessionStore; chaosUrl: string }): Router {
  const router = Router();
  router.use(
    '/chaos/api',
    requireSession(deps.sessions),
    instructorOnly,
    csrfTokenRequired(),
    express.raw({ type: () => true, limit: '8kb' }),
    async (req, res) => {
      const url = new URL(req.url, 'http://x');
      if (!forwardedPaths.test(url.pathname)) throw new HttpProblem(problems.not_found, `The console does not pass ${url.pathname} to the chaos controller`);
      const session = sessionOf(req, res);
      const hasBody = !['GET', 'HEAD'].includes(req.method) && Buffer.isBuffer(req.body) && req.body.length > 0;
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${session.token}` };
      if (hasBody) headers['content-type'] = 'application/json';
      if (journalActor.test(session.caller.actor)) headers['x-firedrill-actor'] = session.caller.actor;
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      let response: Response;
      try {
        response = await fetch(new URL(`/api${url.pathname}${url.search}`, deps.chaosUrl), {
          method: req.method,
          headers,
          ...(hasBody && { body: req.body as Buffer }),
          signal: gone.signal,
        });
      } catch (err) {
        if (gone.signal.aborted) return;
        throw new HttpProblem(problems.dependency_unavailable, 'The chaos controller cannot be reached', { cause: err });
      }
      res.status(response.status);
      for (const name of passedBack) {
        const value = response.headers.get(name);
        if (value !== null) res.setHeader(name, value);
      }
      res.setHeader('cache-control', 'no-store');
      res.end(Buffer.from(await response.arrayBuffer()));
    },
  );
  return router;
}

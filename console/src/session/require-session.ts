import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem } from '@firedrill/kit';
import { consoleProblems } from './console-problems.ts';
import { sessionIdOf } from './session-cookie.ts';
import type { Session, SessionStore } from './session-store.ts';

/**
 * The one place that decides who the browser is: the session its cookie names. No cookie, or one
 * whose session expired or never existed, is 401 — the page then shows the sign-in form.
 */
export function requireSession(sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const id = sessionIdOf(req);
    const session = id === undefined ? undefined : sessions.find(id);
    if (!session) return next(new HttpProblem(id === undefined ? consoleProblems.not_signed_in : consoleProblems.session_expired));
    res.locals.session = session;
    next();
  };
}

/** The session requireSession found. */
export function sessionOf(_req: Request, res: Response): Session {
  const session = res.locals.session as Session | undefined;
  if (!session) throw new Error('sessionOf used on a route without requireSession()');
  return session;
}

import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '@firedrill/kit';
import { csrfTokenRequired } from '../session/csrf-guard.ts';
import { requireSession, sessionOf } from '../session/require-session.ts';
import { clearSessionCookie, sessionIdOf, setSessionCookie } from '../session/session-cookie.ts';
import type { SessionStore } from '../session/session-store.ts';
import { whoIs } from '../training-client.ts';

const signInBody = z.strictObject({
  token: z.string().min(1).max(200).describe('A lab token: the instructor token, the operator token or your own trainee token'),
});

export interface SessionRouteDeps {
  sessions: SessionStore;
  trainingUrl: string;
  ttlMs: number;
}

/** What the page learns about its session: who, until when, and the CSRF token to send back. Never the lab token. */
function sessionView(session: ReturnType<typeof sessionOf>) {
  return { caller: session.caller, expiresAt: new Date(session.expiresAt).toISOString(), csrfToken: session.csrfToken };
}

/** Sign in (a token → a session cookie), who am I, sign out. Mounted after sameOriginOnly. */
export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = Router();
  router.post('/console/sign-in', async (req, res) => {
    const { token } = parseOrThrow(signInBody, req.body);
    const caller = await whoIs(deps.trainingUrl, token);
    // A new id at every sign-in (never reuse one the browser already had: session fixation).
    const old = sessionIdOf(req);
    if (old !== undefined) deps.sessions.remove(old);
    const { id, session } = deps.sessions.create(caller, token);
    setSessionCookie(req, res, id, deps.ttlMs);
    res.status(201).json(sessionView(session));
  });
  router.get('/console/session', requireSession(deps.sessions), (req, res) => {
    res.json(sessionView(sessionOf(req, res)));
  });
  router.post('/console/sign-out', requireSession(deps.sessions), csrfTokenRequired(), (req, res) => {
    const id = sessionIdOf(req);
    if (id !== undefined) deps.sessions.remove(id);
    clearSessionCookie(res);
    res.status(204).end();
  });
  return router;
}

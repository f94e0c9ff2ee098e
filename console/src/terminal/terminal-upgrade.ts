import type { IncomingMessage } from 'node:http';
import { sessionIdOf } from '../session/session-cookie.ts';
import type { Session, SessionStore } from '../session/session-store.ts';

/** The WebSocket path of the browser terminal. */
export const terminalPath = '/console/terminal';

export type UpgradeDecision = { ok: true; session: Session } | { ok: false; status: 401 | 403 | 404; reason: string };

/**
 * Whether a WebSocket upgrade may open a terminal. A WebSocket is not covered by CORS or by the
 * page's CSRF token, so the Origin is checked here (any site could open one to us, and the browser
 * would send our SameSite=Strict cookie on a same-site page only, but Origin is the real guard):
 * it must be this console's own. Then the session's cookie, and a trainee's session: the terminal
 * is the trainee's shell on the lab box, as that trainee's own account.
 */
export function decideTerminalUpgrade(req: Pick<IncomingMessage, 'headers' | 'url'>, sessions: SessionStore): UpgradeDecision {
  const url = new URL(req.url ?? '/', 'http://console');
  if (url.pathname !== terminalPath) return { ok: false, status: 404, reason: 'no WebSocket here' };
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || !host || (origin !== `http://${host}` && origin !== `https://${host}`))
    return { ok: false, status: 403, reason: `Origin ${origin ?? '(none)'} is not this console's` };
  const id = sessionIdOf(req);
  const session = id === undefined ? undefined : sessions.find(id);
  if (!session) return { ok: false, status: 401, reason: 'sign in to the console first' };
  if (session.caller.role !== 'trainee' || !session.caller.trainee)
    return { ok: false, status: 403, reason: "the terminal is a trainee's shell on the lab box" };
  return { ok: true, session };
}

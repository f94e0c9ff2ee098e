import type { Request, RequestHandler } from 'express';
import { HttpProblem, tokensMatch } from '@firedrill/kit';
import { consoleProblems } from './console-problems.ts';
import { sessionOf } from './require-session.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console's own origin as the browser sees it: the Host it sent to, on our scheme. */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.headers.host ?? ''}`;
}

/**
 * Refuses a state change another site started. Browsers send Origin on every cross-origin request
 * and on same-origin POSTs, and Sec-Fetch-Site wherever they support it; a request with neither
 * (curl, a script) is not a browser being tricked, but it is refused too, since the console is
 * only for browsers (the CLI talks to the training API directly).
 */
export function sameOriginOnly(): RequestHandler {
  return (req, _res, next) => {
    if (safeMethods.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return next(new HttpProblem(consoleProblems.cross_site_request, `Sec-Fetch-Site: ${site}`));
    const origin = req.headers.origin;
    if (origin !== ownOrigin(req)) return next(new HttpProblem(consoleProblems.cross_site_request, `Origin ${origin ?? '(none)'} is not this console's`));
    next();
  };
}

/**
 * After sign-in, a state change must also carry the session's CSRF token (the page reads it from
 * GET /console/session). Compared in constant time. Goes after requireSession.
 */
export function csrfTokenRequired(): RequestHandler {
  return (req, res, next) => {
    if (safeMethods.has(req.method)) return next();
    const presented = req.headers['x-csrf-token'];
    if (typeof presented !== 'string' || !tokensMatch(presented, sessionOf(req, res).csrfToken))
      return next(new HttpProblem(consoleProblems.csrf_token_missing));
    next();
  };
}

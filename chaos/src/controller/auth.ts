import type { RequestHandler } from 'express';
import { HttpProblem, problems } from '@firedrill/kit';
import { bearerToken, tokensMatch } from './tokens.ts';

/** Refuses any request without the expected bearer token (401); never says which part was wrong. */
export function requireToken(expected: string, realm: string): RequestHandler {
  return (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented !== undefined && tokensMatch(presented, expected)) return next();
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
    next(new HttpProblem(problems.unauthorized, `Send the ${realm} token as "Authorization: Bearer <token>"`));
  };
}

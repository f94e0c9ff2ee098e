import type { Request, RequestHandler, Response } from 'express';
import { bearerToken, HttpProblem, problems, tokensMatch } from '@firedrill/kit';

/**
 * Who may call the training process:
 *   instructor — the lab's instructor token: everything, including deploys and instructor-only events;
 *   operator   — the operator token in the state dir (one person at the lab machine): a trainee's
 *                means, acting for the team of the current run;
 *   trainee    — a trainee's own token (`lab trainees add`): a trainee's means, for its team only;
 *   agent      — the services' agent token: reads the flags, nothing else.
 */
export type Role = 'instructor' | 'operator' | 'trainee' | 'agent';

export const roles: readonly Role[] = ['instructor', 'operator', 'trainee', 'agent'];

/** The roles a trainee's means admit (levers, incidents, hints, PIRs): the routes' usual `allow`. */
export const responders: readonly Role[] = ['trainee', 'operator', 'instructor'];

export interface Caller {
  role: Role;
  /** What events record as the actor: the role, and the name the caller gave (X-Firedrill-Actor), or the trainee's name. */
  actor: string;
  /** A trainee's team; null for every other role (the operator acts for the current run's team). */
  team: string | null;
  /** A trainee's name; null for every other role. */
  trainee: string | null;
}

/** The roles with one shared token each (a trainee's token is its own, looked up in the lab's database). */
export type RoleTokens = Record<Exclude<Role, 'trainee'>, string>;

const actorNamePattern = /^[A-Za-z0-9 ._@-]{1,64}$/;

/** Finds the trainee a presented token belongs to (identities/trainee-store.ts `findByToken`). */
export type TraineeLookup = (presented: string) => Promise<{ name: string; team: string } | undefined>;

/**
 * The one place that decides who the caller is: its bearer token, compared in constant time
 * against each role's token, else looked up among the trainees' (by its hash). A request without
 * a known token has no caller; the routes' `allow` then refuses it. A token is never logged.
 */
export function identifyCaller(tokens: RoleTokens, findTrainee?: TraineeLookup): RequestHandler {
  const entries = Object.entries(tokens) as Array<[Exclude<Role, 'trainee'>, string]>;
  return async (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) return next();
    // Every token is compared, whichever matches, so timing does not tell which role a token was close to.
    const matches = entries.filter(([, expected]) => tokensMatch(presented, expected));
    const role = matches[0]?.[0];
    if (role) {
      const name = req.headers['x-firedrill-actor'];
      if (name !== undefined && (typeof name !== 'string' || !actorNamePattern.test(name))) {
        return next(
          new HttpProblem(problems.validation_failed, 'X-Firedrill-Actor: 1 to 64 letters, digits, spaces or ._@-', {
            errors: [{ field: 'X-Firedrill-Actor', message: '1 to 64 letters, digits, spaces or ._@-' }],
          }),
        );
      }
      res.locals.caller = { role, actor: name ? `${role}:${name}` : role, team: null, trainee: null } satisfies Caller;
      return next();
    }
    if (!findTrainee) return next();
    let trainee: Awaited<ReturnType<TraineeLookup>>;
    try {
      trainee = await findTrainee(presented);
    } catch (err) {
      // Without the lab's database no trainee can be recognised: say so rather than answer 401 or 500.
      return next(new HttpProblem(problems.dependency_unavailable, "The lab's database cannot be reached to check a trainee token", { cause: err }));
    }
    // A trainee is its name (X-Firedrill-Actor is for the shared tokens, which many people hold).
    if (trainee) res.locals.caller = traineeCaller(trainee);
    next();
  };
}

/** The caller a trainee's token makes. */
export function traineeCaller(trainee: { name: string; team: string }): Caller {
  return { role: 'trainee', actor: `trainee:${trainee.name}`, team: trainee.team, trainee: trainee.name };
}

/**
 * A route's declaration of who may call it: no known token is 401, a known one without the role
 * is 403.
 */
export function allow(...allowed: Role[]): RequestHandler {
  return (_req, res, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="firedrill training"');
      return next(
        new HttpProblem(
          problems.unauthorized,
          'Send a lab token as "Authorization: Bearer <token>" (the operator token is in <lab state dir>/secrets/operator-token)',
        ),
      );
    }
    if (!allowed.includes(caller.role))
      return next(new HttpProblem(problems.forbidden, `This needs the ${allowed.join(' or ')} token; you sent the ${caller.role} token`));
    next();
  };
}

/** The caller `allow` let through. */
export function callerOf(_req: Request, res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('callerOf used on a route without allow()');
  return caller;
}

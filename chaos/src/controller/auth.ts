import type { RequestHandler } from 'express';
import { HttpProblem, problems } from '@firedrill/kit';
import { bearerToken, tokensMatch } from './tokens.ts';
import type { TraineeGate } from './trainee-gate.ts';

/**
 * Refuses any request without the expected bearer token (401); never says which part was wrong.
 * With a trainee gate, a trainee's own token is known but not enough: 403, and the attempt is
 * journalled for the instructor.
 */
export function requireToken(expected: string, realm: string, trainees?: TraineeGate): RequestHandler {
  return async (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented !== undefined && tokensMatch(presented, expected)) return next();
    if (presented !== undefined && trainees) {
      let trainee: Awaited<ReturnType<TraineeGate['traineeOf']>>;
      try {
        trainee = await trainees.traineeOf(presented);
      } catch (err) {
        return next(new HttpProblem(problems.dependency_unavailable, "The lab's database cannot be reached to check the token", { cause: err }));
      }
      if (trainee) {
        await trainees.refused(trainee, { method: req.method, path: `${req.baseUrl}${req.path}` });
        return next(new HttpProblem(problems.forbidden, `This needs the ${realm} token: trainees see symptoms (alerts, metrics, logs), never the faults`));
      }
    }
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
    next(new HttpProblem(problems.unauthorized, `Send the ${realm} token as "Authorization: Bearer <token>"`));
  };
}

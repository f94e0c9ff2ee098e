import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBodyProblems, parseOrThrow, problems, type OperationSpec } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import { callerOf, type Role } from '../ops/identity.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { shellCommandBody } from './shell-command-record.ts';
import { shellRateLimit } from './shell-rate-limit.ts';

export interface ShellRouteDeps {
  events: EventStore;
}

/** One route of the shell API, as ops-routes.ts declares its own. */
export interface ShellRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: ShellRouteDeps) => RequestHandler;
}

/** Ten lines a second sustained, thirty at once (a pasted block): far above typing. */
const limiter = shellRateLimit({ perSecond: 10, burst: 30 });

/**
 * The trainee's shell on the lab box (lab/src/ssh) records every command line it runs here, as
 * the trainee, so the team's timeline and the debrief show how they debugged. It is a record for
 * the debrief, not an audit control: the trainee can switch the hook off in their own shell.
 */
export const shellRoutes: readonly ShellRoute[] = [
  {
    spec: {
      method: 'post',
      path: '/api/shell/commands',
      summary: "Record a command line a trainee ran in the lab box's shell: a shell.command event on the team's timeline, stamped with the lab's time",
      body: shellCommandBody,
      responses: { 201: { description: 'Recorded', schema: z.object({ id: z.number().int(), at: z.iso.datetime() }) } },
      problems: [...jsonBodyProblems, problems.unauthorized, problems.forbidden, trainingProblems.shell_rate_limited],
    },
    roles: ['trainee'],
    handler: (deps) => async (req, res) => {
      const record = parseOrThrow(shellCommandBody, req.body);
      const caller = callerOf(req, res);
      if (!limiter.take(caller.actor))
        throw new HttpProblem(trainingProblems.shell_rate_limited, 'More than 10 command lines a second: slow down (this one was not recorded)');
      const [event] = await deps.events.append([
        { actor: caller.actor, team: caller.team, kind: 'shell.command', data: { trainee: caller.trainee, ...record } },
      ]);
      res.status(201).json({ id: event!.id, at: event!.at });
    },
  },
];

import type { RequestHandler } from 'express';
import { z } from 'zod';
import { jsonBodyProblems, parseOrThrow, problems, type OperationSpec } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import { callerOf, responders, type Role } from '../ops/identity.ts';
import { runbookStepBody } from './runbook-step-record.ts';

export interface RunbookRouteDeps {
  events: EventStore;
}

/** One route of the runbooks API, as ops-routes.ts declares its own. */
export interface RunbookRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: RunbookRouteDeps) => RequestHandler;
}

/**
 * The runbook runner reports here: each step's status becomes a `runbook.step` event on the
 * caller's timeline, stamped with the server's time (a client's clock never reaches the journal).
 */
export const runbookRoutes: readonly RunbookRoute[] = [
  {
    spec: {
      method: 'post',
      path: '/api/runbooks/steps',
      summary: 'Record one step of an executable runbook (started, passed, failed, rolled-back, skipped) on the timeline',
      body: runbookStepBody,
      responses: { 201: { description: 'Recorded', schema: z.object({ id: z.number().int(), at: z.iso.datetime() }) } },
      problems: [...jsonBodyProblems, problems.unauthorized, problems.forbidden],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const step = parseOrThrow(runbookStepBody, req.body);
      const caller = callerOf(req, res);
      const [event] = await deps.events.append([{ actor: caller.actor, team: caller.team, kind: 'runbook.step', data: step }]);
      res.status(201).json({ id: event!.id, at: event!.at });
    },
  },
];

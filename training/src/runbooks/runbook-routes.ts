import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBodyProblems, parseOrThrow, problems, type OperationSpec } from '@firedrill/kit';
import { teamNamePattern, teamNameRule } from '@firedrill/conventions';
import type { EventStore } from '../events/event-store.ts';
import { type Caller, callerOf, responders, type Role } from '../ops/identity.ts';
import type { ShopDirectory } from '../runs/team-shops.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { findRunbook, listRunbooks } from './runbook-catalogue.ts';
import { runbookStepBody } from './runbook-step-record.ts';

export interface RunbookRouteDeps {
  events: EventStore;
  /** The class's teams (a step recorded for one must be one of them); the single lab's one shop. */
  shops: ShopDirectory;
}

/** One route of the runbooks API, as ops-routes.ts declares its own. */
export interface RunbookRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: RunbookRouteDeps) => RequestHandler;
}

const runbookParams = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be an id from GET /api/runbooks, such as payments-rollback'),
});
const entrySchema = z.object({
  id: z.string(),
  source: z.enum(['executable', 'runbook-page', 'playbook']).describe('An executable runbook, a runbook page (one per alert family) or a playbook page'),
  title: z.string(),
  summary: z.string(),
});
const stepSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  action: z.enum(['lever', 'command', 'probe']),
  text: z.string().describe('The lever, the shell command, or the probe as JSON'),
  verify: z.string().nullable(),
  rollback: z.string().nullable(),
});
const detailSchema = entrySchema.extend({
  kind: z.enum(['diagnostic', 'remediation', 'preventive', 'emergency']).nullable(),
  parameters: z.record(z.string(), z.object({ description: z.string() }).loose()),
  steps: z.array(stepSchema),
  markdown: z.string().nullable().describe("A page's markdown"),
  section: z
    .object({ page: z.string(), heading: z.string(), markdown: z.string() })
    .nullable()
    .describe("An executable runbook's: the section of its runbook page that names it"),
});

/** A step as the runner reports it, and for whom: the instructor or the operator names a class's team. */
const stepRequestBody = runbookStepBody.extend({
  team: z
    .string()
    .regex(teamNamePattern, `must be ${teamNameRule}`)
    .optional()
    .describe(
      "In a class: the team whose timeline the step goes on (the operator's or the instructor's pick, the team whose levers the step pulls); a trainee's is always its own",
    ),
});

/**
 * Whose timeline a step goes on: a trainee's team's (naming another is 403); for the others the
 * team named — one of the class's (else 400), as its levers are (lever-service.ts) — or, naming
 * none, their own (none: the lab's timeline). A single lab has one shop and its steps name no team.
 */
function stepTeam(caller: Caller, asked: string | undefined, shops: ShopDirectory): string | null {
  if (caller.role === 'trainee') {
    if (asked !== undefined && asked !== caller.team)
      throw new HttpProblem(trainingProblems.other_team, `A trainee records steps on its own team's timeline (yours is ${caller.team}), not team ${asked}'s`);
    return caller.team;
  }
  if (asked === undefined) return caller.team;
  if (!shops.isClass)
    throw new HttpProblem(problems.validation_failed, 'This lab runs one shop: a step names no team', {
      errors: [{ field: 'team', message: 'only in a class' }],
    });
  return shops.shopFor(asked).team;
}

/**
 * The runbooks and the playbook for responders (the console's runbooks panel; the CLI reads the
 * files itself). The runbook runner reports its steps here: each step's status becomes a `runbook.step` event on the
 * caller's timeline (in a class, the operator's or instructor's the team it names: stepTeam), stamped with the
 * server's time (a client's clock never reaches the journal).
 */
export const runbookRoutes: readonly RunbookRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/runbooks',
      summary: 'The executable runbooks, the runbook pages and the playbook: id, title and summary of each',
      responses: { 200: { description: 'The runbooks', schema: z.object({ runbooks: z.array(entrySchema) }) } },
      problems: [problems.unauthorized, problems.forbidden],
    },
    roles: responders,
    handler: () => (_req, res) => {
      res.json({ runbooks: listRunbooks() });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/runbooks/{id}',
      summary: "One runbook: an executable runbook's steps and the section of its page that names it, or a page's markdown",
      params: runbookParams,
      responses: { 200: { description: 'The runbook', schema: detailSchema } },
      problems: [problems.validation_failed, problems.unauthorized, problems.forbidden, problems.not_found],
    },
    roles: responders,
    handler: () => (req, res) => {
      const { id } = parseOrThrow(runbookParams, req.params);
      const runbook = findRunbook(id);
      if (!runbook) throw new HttpProblem(problems.not_found, `No runbook ${id}; GET /api/runbooks lists them`);
      res.json(runbook);
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runbooks/steps',
      summary:
        "Record one step of an executable runbook (started, passed, failed, rolled-back, skipped) on the timeline: the caller's team's, or in a class the team named",
      body: stepRequestBody,
      responses: { 201: { description: 'Recorded', schema: z.object({ id: z.number().int(), at: z.iso.datetime() }) } },
      problems: [...jsonBodyProblems, problems.unauthorized, problems.forbidden, trainingProblems.other_team],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { team: asked, ...step } = parseOrThrow(stepRequestBody, req.body);
      const caller = callerOf(req, res);
      const team = stepTeam(caller, asked, deps.shops);
      const [event] = await deps.events.append([{ actor: caller.actor, team, kind: 'runbook.step', data: step }]);
      res.status(201).json({ id: event!.id, at: event!.at });
    },
  },
];

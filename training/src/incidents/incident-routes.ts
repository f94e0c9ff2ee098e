import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { jsonBodyProblems, parseOrThrow, problems, requestFingerprint, requireIdempotencyKey, type OperationSpec, type ProblemType } from '@firedrill/kit';
import { identityName } from '../identities/identity-names.ts';
import { callerOf, responders, type Role } from '../ops/identity.ts';
import { eventSchema } from '../runs/runs-contract.ts';
import { trainingProblems } from '../server/training-problems.ts';
import type { IncidentCommand } from './incident-decide.ts';
import { causeCategories, incidentRoles, severities, updateKinds } from './incident-events.ts';
import { commandHeaders, declareBody, emptyBody, noteBody, resolveBody, roleBody, severityBody, updateBody } from './incident-schemas.ts';
import type { CommandRequest, IncidentService } from './incident-service.ts';
import type { CommandReply } from './team-command.ts';
import { updateTemplates } from './update-templates.ts';

export interface IncidentRouteDeps {
  incidents: IncidentService;
}

/** One route of the incident and hint API, as ops-routes.ts declares its own. */
export interface IncidentRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: IncidentRouteDeps) => RequestHandler;
}

const stamp = { at: z.iso.datetime(), actor: z.string() };
const incidentViewSchema = z
  .object({
    runId: z.string(),
    runState: z.string(),
    team: z.string().nullable(),
    status: z.enum(['none', 'open', 'declared', 'mitigated', 'resolved']),
    pages: z.array(z.object({ ...stamp, alertname: z.string(), summary: z.string().nullable() })),
    acknowledged: z.object(stamp).nullable(),
    incident: z.object({ id: z.string(), title: z.string(), severity: z.string() }).loose().nullable(),
    hintsTaken: z.array(z.object({ ...stamp, index: z.number().int(), cost: z.number(), text: z.string() })),
  })
  .describe('The team’s incident in its current or latest run, folded from its events');
/** A team sees its timeline's everyone-visible events only. */
const teamEventSchema = eventSchema.extend({ visibility: z.literal('everyone') });
const hintSchema = z.object({ index: z.number().int(), cost: z.number(), text: z.string() });

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];
const writeProblems: readonly ProblemType[] = [
  ...jsonBodyProblems,
  ...authProblems,
  problems.idempotency_key_required,
  problems.idempotency_key_reused,
  problems.request_in_progress,
  trainingProblems.no_run_live,
  trainingProblems.other_team,
];
const orderProblems: readonly ProblemType[] = [trainingProblems.incident_not_declared, trainingProblems.incident_conflict];
/** `?team=` on every incident and hint route: whose incident (the instructor's and the operator's pick in a class; a trainee's is its own). */
const teamQuery = z.strictObject({
  team: identityName
    .optional()
    .describe("The team whose incident it is: in a class, the instructor's or the operator's pick (else the newest run's); a trainee's is its own"),
});
const readProblems: readonly ProblemType[] = [...authProblems, problems.validation_failed, trainingProblems.other_team, trainingProblems.no_run_yet];

/** The reply as first given: a refusal keeps its problem+json type, a replay says so. */
function send(res: Response, reply: CommandReply): void {
  if (reply.replayed) res.setHeader('Idempotency-Replayed', 'true');
  res.status(reply.status);
  if (reply.status >= 400) res.type('application/problem+json');
  res.json(reply.body);
}

/** The caller, its key and the fingerprint of what it asked (route, who, validated body). */
function commandRequest(req: Request, res: Response, path: string, body: unknown): CommandRequest {
  const caller = callerOf(req, res);
  const { team } = parseOrThrow(teamQuery, req.query);
  const idempotencyKey = requireIdempotencyKey(req, 'so that a retried command is not recorded twice');
  return { caller, idempotencyKey, team, fingerprint: requestFingerprint({ path, actor: caller.actor, team: team ?? null, body }) };
}

/** A POST /api/incident/<name> route: validate the body, make the command, let the service decide. */
function commandRoute<S extends z.ZodType>(
  name: string,
  summary: string,
  body: S,
  toCommand: (body: z.output<S>) => IncidentCommand,
  extraProblems: readonly ProblemType[],
): IncidentRoute {
  const path = `/api/incident/${name}`;
  return {
    spec: {
      method: 'post',
      path,
      summary,
      headers: commandHeaders,
      query: teamQuery,
      ...((body as z.ZodType) !== emptyBody && { body }),
      responses: { 200: { description: 'The incident after the command', schema: incidentViewSchema } },
      problems: [...writeProblems, ...extraProblems],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const parsed = parseOrThrow(body, req.body ?? {});
      send(res, await deps.incidents.command(toCommand(parsed), commandRequest(req, res, path, parsed)));
    },
  };
}

/**
 * The incident API under /api/incident and the hints under /api/hints: what trainees (and the
 * operator, for the run's team) do during a run. Writes need an Idempotency-Key; every time comes
 * from the events the lab records.
 */
export const incidentRoutes: readonly IncidentRoute[] = [
  commandRoute(
    'declare',
    'Declare the incident (one per team and run) with a title and a severity',
    declareBody,
    (b) => ({ kind: 'declare', title: b.title, severity: b.severity }),
    [trainingProblems.incident_already_declared],
  ),
  commandRoute('ack', 'Acknowledge the page (once; before or after declaring)', emptyBody, () => ({ kind: 'ack' }), [trainingProblems.incident_conflict]),
  commandRoute(
    'severity',
    'Change the severity, saying why',
    severityBody,
    (b) => ({ kind: 'severity', severity: b.severity, reason: b.reason }),
    orderProblems,
  ),
  commandRoute(
    'role',
    'Give an ICS role (ic, ops, comms, scribe) to a trainee of the team',
    roleBody,
    (b) => ({ kind: 'role', role: b.role, trainee: b.trainee }),
    orderProblems,
  ),
  commandRoute(
    'update',
    'Post a status update (templates: ack, update, resolution), naming the impact and when the next update comes',
    updateBody,
    (b) => ({ kind: 'update', updateKind: b.kind, text: b.text, impact: b.impact ?? null, nextUpdateMinutes: b.nextUpdateMinutes ?? null }),
    orderProblems,
  ),
  commandRoute('note', 'Add a note to the timeline', noteBody, (b) => ({ kind: 'note', text: b.text }), orderProblems),
  commandRoute('mitigated', 'Mark the incident mitigated (customers no longer hurt)', emptyBody, () => ({ kind: 'mitigated' }), orderProblems),
  commandRoute(
    'resolve',
    'Resolve the incident, naming the root-cause category; straight after declaring, it counts as mitigated too',
    resolveBody,
    (b) => ({ kind: 'resolve', category: b.category ?? null, summary: b.summary ?? null }),
    orderProblems,
  ),
  {
    spec: {
      method: 'get',
      path: '/api/incident/status',
      summary: "The team's incident in its current or latest run: status, severity, roles, updates, notes, pages, hints",
      responses: { 200: { description: 'The incident', schema: incidentViewSchema } },
      query: teamQuery,
      problems: readProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      res.json(await deps.incidents.status(callerOf(req, res), parseOrThrow(teamQuery, req.query).team));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/incident/templates',
      summary: 'What the incident commands accept: severities, roles, cause categories, and the status-update templates to fill in',
      description: 'The same templates `lab incident update --template` prints; the console fills its update form from them.',
      responses: {
        200: {
          description: 'The incident vocabulary',
          schema: z.object({
            severities: z.array(z.enum(severities)),
            roles: z.array(z.enum(incidentRoles)),
            causeCategories: z.array(z.enum(causeCategories)),
            updateTemplates: z.array(z.object({ kind: z.enum(updateKinds), when: z.string(), text: z.string() })),
          }),
        },
      },
      problems: authProblems,
    },
    roles: responders,
    handler: () => (_req, res) => {
      res.json({ severities, roles: incidentRoles, causeCategories, updateTemplates: updateKinds.map((kind) => updateTemplates[kind]) });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/incident/timeline',
      summary: "The team's view of its current or latest run: its own events and the lab's, everyone-visible only, oldest first",
      responses: {
        200: { description: 'The timeline', schema: z.object({ runId: z.string(), team: z.string().nullable(), events: z.array(teamEventSchema) }) },
      },
      query: teamQuery,
      problems: readProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      res.json(await deps.incidents.timeline(callerOf(req, res), parseOrThrow(teamQuery, req.query).team));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/hints/next',
      summary: "Take the running scenario's next hint (its cost is deducted from the grade); 409 says when it becomes available",
      headers: commandHeaders,
      query: teamQuery,
      responses: { 200: { description: 'The hint', schema: z.object({ runId: z.string(), hint: hintSchema }) } },
      problems: [...writeProblems, trainingProblems.hint_not_yet, trainingProblems.no_hints_left],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const body = parseOrThrow(emptyBody, req.body ?? {});
      send(res, await deps.incidents.takeHint(commandRequest(req, res, '/api/hints/next', body)));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/hints',
      summary: 'The hints the team took in its current or latest run, and when the next one is available',
      responses: {
        200: {
          description: 'Hints',
          schema: z.object({
            runId: z.string(),
            taken: z.array(hintSchema.extend(stamp)),
            next: z.object({ index: z.number().int(), cost: z.number(), availableInSeconds: z.number().int() }).nullable(),
          }),
        },
      },
      query: teamQuery,
      problems: readProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      res.json(await deps.incidents.hints(callerOf(req, res), parseOrThrow(teamQuery, req.query).team));
    },
  },
];

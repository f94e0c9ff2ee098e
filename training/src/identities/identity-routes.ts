import type { RequestHandler } from 'express';
import { z } from 'zod';
import { jsonBodyProblems, parseOrThrow, problems, type OperationSpec, type ProblemType } from '@firedrill/kit';
import { callerOf, roles, type Role } from '../ops/identity.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { identityName } from './identity-names.ts';
import type { IdentityService } from './identity-service.ts';

export interface IdentityRouteDeps {
  identities: IdentityService;
}

/** One route of the identities API, as ops-routes.ts declares its own. */
export interface IdentityRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: IdentityRouteDeps) => RequestHandler;
}

export const teamBody = z.strictObject({ name: identityName.describe('The team: what reports and the scoreboard show') });
export const traineeBody = z.strictObject({
  name: identityName.describe('The trainee: what the events record as its actor (trainee:<name>)'),
  team: identityName.describe('An existing team (POST /api/teams)'),
});
export const traineeParams = z.strictObject({ name: identityName });

const teamSchema = z.object({ name: z.string(), createdAt: z.iso.datetime(), trainees: z.number().int() });
const traineeSchema = z.object({ name: z.string(), team: z.string(), createdAt: z.iso.datetime() });
const callerSchema = z.object({ role: z.enum(roles), actor: z.string(), team: z.string().nullable(), trainee: z.string().nullable() });

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];
const instructor: Role[] = ['instructor'];

/** Teams and trainees (the instructor's), and who the caller is (anyone's). */
export const identityRoutes: readonly IdentityRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/whoami',
      summary: 'Who the token you sent makes you: role, actor (as the events record you), team and trainee name',
      responses: { 200: { description: 'The caller', schema: callerSchema } },
      problems: authProblems,
    },
    roles,
    handler: () => (req, res) => {
      res.json(callerOf(req, res));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/teams',
      summary: 'Add a team',
      body: teamBody,
      responses: { 201: { description: 'The team', schema: teamSchema } },
      problems: [...jsonBodyProblems, ...authProblems, problems.conflict],
    },
    roles: instructor,
    handler: (deps) => async (req, res) => {
      const { name } = parseOrThrow(teamBody, req.body);
      res.status(201).json(await deps.identities.addTeam(name, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/teams',
      summary: 'The teams, with how many trainees each has',
      responses: { 200: { description: 'Teams', schema: z.object({ teams: z.array(teamSchema) }) } },
      problems: authProblems,
    },
    roles: instructor,
    handler: (deps) => async (_req, res) => {
      res.json({ teams: await deps.identities.listTeams() });
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/trainees',
      summary: "Add a trainee to a team; the answer holds the trainee's token, the only time it is shown (only its hash is kept)",
      body: traineeBody,
      responses: { 201: { description: 'The trainee and its token', schema: traineeSchema.extend({ token: z.string() }) } },
      problems: [...jsonBodyProblems, ...authProblems, problems.conflict, trainingProblems.unknown_team],
    },
    roles: instructor,
    handler: (deps) => async (req, res) => {
      const { name, team } = parseOrThrow(traineeBody, req.body);
      const added = await deps.identities.addTrainee(name, team, callerOf(req, res));
      // A token in an answer must not be kept by any cache on the way.
      res.status(201).set('Cache-Control', 'no-store').json(added);
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/trainees',
      summary: 'The trainees and their teams (never their tokens)',
      responses: { 200: { description: 'Trainees', schema: z.object({ trainees: z.array(traineeSchema) }) } },
      problems: authProblems,
    },
    roles: instructor,
    handler: (deps) => async (_req, res) => {
      res.json({ trainees: await deps.identities.listTrainees() });
    },
  },
  {
    spec: {
      method: 'delete',
      path: '/api/trainees/{name}',
      summary: 'Remove a trainee: its token stops working at once (its events stay)',
      params: traineeParams,
      responses: { 200: { description: 'The trainee removed', schema: traineeSchema } },
      problems: [...authProblems, problems.not_found],
    },
    roles: instructor,
    handler: (deps) => async (req, res) => {
      const { name } = parseOrThrow(traineeParams, req.params);
      res.json(await deps.identities.removeTrainee(name, callerOf(req, res)));
    },
  },
];

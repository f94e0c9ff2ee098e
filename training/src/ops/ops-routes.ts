import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBodyProblems, parseOrThrow, problems, type OperationSpec, type ProblemType } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import { flagValueSchema, type FlagName } from '../flags/flag-catalogue.ts';
import type { FlagStore } from '../flags/flag-store.ts';
import { parseLever } from '../levers/lever.ts';
import type { LeverService } from '../levers/lever-service.ts';
import type { ReleaseService } from '../releases/release-service.ts';
import type { ReleaseStore } from '../releases/release-store.ts';
import { eventSchema } from '../runs/runs-contract.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { callerOf, responders, type Caller, type Role } from './identity.ts';
import {
  actorHeaders,
  deployBody,
  eventsQuery,
  flagBody,
  flagParams,
  flagsQuery,
  leverBody,
  releasesQuery,
  teamQuery,
  serviceParams,
} from './request-schemas.ts';

export interface OpsDeps {
  flags: FlagStore;
  releases: ReleaseService;
  releaseStore: ReleaseStore;
  levers: LeverService;
  events: EventStore;
}

/** One route of the ops API: its OpenAPI description, the roles it admits, and its handler. */
export interface OpsRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: OpsDeps) => RequestHandler;
}

const flagValue = z.union([z.boolean(), z.number()]);
const flagSnapshotSchema = z.object({ version: z.number().int(), flags: z.record(z.string(), flagValue) });
const flagViewSchema = z.object({
  name: z.string(),
  type: z.enum(['boolean', 'number']),
  description: z.string(),
  default: flagValue,
  value: flagValue,
  changedAt: z.iso.datetime().nullable(),
  changedBy: z.string().nullable(),
});
const releaseSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  service: z.enum(['api', 'payments', 'worker']),
  action: z.enum(['deploy', 'rollback']),
  version: z.string(),
  previousVersion: z.string(),
  actor: z.string(),
  shop: z.string().describe("The class's team whose shop it was released to; '' for the single lab's shop"),
});
const queueJobSchema = z.object({
  id: z.string().nullable(),
  orderId: z.unknown(),
  attemptsMade: z.number().int(),
  stalled: z.number().int(),
  ageSeconds: z.number().int(),
  failedReason: z.string().nullable(),
});
const queueViewSchema = z.object({
  queue: z.string(),
  counts: z.record(z.string(), z.number().int()),
  deadLettered: z.number().int(),
  active: z.array(queueJobSchema),
  recentlyFailed: z.array(queueJobSchema),
});
const leverOutcomeSchema = z.object({ lever: z.string(), summary: z.string(), details: z.record(z.string(), z.unknown()) });

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];
/** What any lever may answer besides its own refusals: the parts it drives being away. */
const leverProblems: readonly ProblemType[] = [
  ...authProblems,
  trainingProblems.lever_unavailable,
  trainingProblems.supervisor_refused,
  problems.dependency_unavailable,
];

/** The team whose shop a read is for: a trainee's own; the others name one (a single lab has one shop, whatever is named). */
const teamOf = (caller: Caller, team: string | undefined): string | null => {
  // Another team's shop is not a trainee's to read, as it is not its to change (levers: other_team).
  if (caller.role === 'trainee' && team !== undefined && team !== caller.team)
    throw new HttpProblem(trainingProblems.other_team, `A trainee reads its own team's shop (yours is ${caller.team}), not team ${team}'s`);
  return caller.role === 'trainee' ? caller.team : (team ?? null);
};

/**
 * Every route of the ops API under /api. Each declares the roles it admits (the one middleware,
 * identity.ts, has decided who the caller is); the OpenAPI document and the role tests read this
 * same table.
 */
export const opsRoutes: readonly OpsRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/flags',
      summary: "Every flag's current value and the set's version (what the services' flag providers poll)",
      query: flagsQuery,
      responses: { 200: { description: 'The flags', schema: flagSnapshotSchema } },
      problems: [...authProblems, problems.validation_failed, trainingProblems.other_team],
    },
    roles: ['agent', ...responders],
    handler: (deps) => async (req, res) => {
      const { since, waitMs, team } = parseOrThrow(flagsQuery, req.query);
      // A class's shop asks with its team (CHAOS_TEAM); a trainee reads its own team's.
      const shopTeam = teamOf(callerOf(req, res), team);
      deps.flags.snapshot(shopTeam); // an unknown team is refused before the poll is held
      if (since !== undefined && waitMs) {
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        await deps.flags.changedSince(since, waitMs, gone.signal);
        if (gone.signal.aborted) return;
      }
      res.set('Cache-Control', 'no-store').json(deps.flags.snapshot(shopTeam));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/flags/{name}',
      summary: 'One flag: its type, default, value and latest changes (newest first)',
      params: flagParams,
      query: teamQuery,
      responses: {
        200: {
          description: 'The flag',
          schema: flagViewSchema.extend({ history: z.array(z.object({ at: z.iso.datetime(), actor: z.string(), previous: flagValue, value: flagValue })) }),
        },
      },
      problems: [...authProblems, trainingProblems.other_team],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { name } = parseOrThrow(flagParams, req.params);
      const shopTeam = teamOf(callerOf(req, res), parseOrThrow(teamQuery, req.query).team);
      res.json({ ...deps.flags.view(name as FlagName, shopTeam), history: await deps.flags.history(name as FlagName, 50, shopTeam) });
    },
  },
  {
    spec: {
      method: 'put',
      path: '/api/flags/{name}',
      summary: 'Change a flag (the lever `flag <name> <value>`); every instance sees it within a second',
      params: flagParams,
      headers: actorHeaders,
      body: flagBody,
      responses: { 200: { description: 'What the lever did', schema: leverOutcomeSchema } },
      problems: [...jsonBodyProblems, ...leverProblems],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { name } = parseOrThrow(flagParams, req.params);
      const { value, team } = parseOrThrow(flagBody, req.body);
      const typed = parseOrThrow(flagValueSchema(name as FlagName), value, 'value');
      res.json(await deps.levers.apply({ kind: 'flag', flag: name as FlagName, value: typed }, callerOf(req, res), team));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/releases',
      summary: "Each service's current version, and the deploy history (newest first)",
      query: releasesQuery,
      responses: {
        200: {
          description: 'Releases',
          schema: z.object({ current: z.record(z.string(), z.string()), releases: z.array(releaseSchema) }),
        },
      },
      problems: [...authProblems, trainingProblems.other_team],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { team, ...query } = parseOrThrow(releasesQuery, req.query);
      const shopTeam = teamOf(callerOf(req, res), team);
      res.json({ current: await deps.releases.current(shopTeam), releases: await deps.releases.list(query, shopTeam) });
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/releases/{service}/deploy',
      summary: 'Deploy a version: the service restarts on it (instructor only: how a scenario ships a bad release)',
      params: serviceParams,
      headers: actorHeaders,
      body: deployBody,
      responses: { 200: { description: 'What the lever did', schema: leverOutcomeSchema } },
      problems: [...jsonBodyProblems, ...leverProblems, trainingProblems.already_running],
    },
    roles: ['instructor'],
    handler: (deps) => async (req, res) => {
      const { service } = parseOrThrow(serviceParams, req.params);
      const { version, team } = parseOrThrow(deployBody, req.body);
      res.json(await deps.levers.apply({ kind: 'deploy', service, version }, callerOf(req, res), team));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/releases/{service}/rollback',
      summary: 'Roll back to the version before the current release: the service restarts on it',
      params: serviceParams,
      query: teamQuery,
      headers: actorHeaders,
      responses: { 200: { description: 'What the lever did', schema: leverOutcomeSchema } },
      problems: [...leverProblems, trainingProblems.nothing_to_roll_back],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { service } = parseOrThrow(serviceParams, req.params);
      const { team } = parseOrThrow(teamQuery, req.query);
      res.json(await deps.levers.apply({ kind: 'rollback', service }, callerOf(req, res), team));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/queue',
      summary:
        "The fulfilment queue of the caller's shop (a trainee's own team's; the others name one in a class): counts, active and failed jobs, dead letters",
      query: teamQuery,
      responses: { 200: { description: 'The queue', schema: queueViewSchema } },
      problems: [...authProblems, problems.validation_failed, trainingProblems.other_team, problems.dependency_unavailable],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const shopTeam = teamOf(callerOf(req, res), parseOrThrow(teamQuery, req.query).team);
      res.set('Cache-Control', 'no-store').json(await deps.levers.queue(shopTeam));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/levers',
      summary: 'Pull a lever written as scenario files write it ("restart api", "scale worker 3", "redis-delete batch:*", …)',
      headers: actorHeaders,
      body: leverBody,
      responses: { 200: { description: 'What the lever did', schema: leverOutcomeSchema } },
      problems: [
        ...jsonBodyProblems,
        ...leverProblems,
        trainingProblems.already_running,
        trainingProblems.nothing_to_roll_back,
        trainingProblems.job_not_found,
        trainingProblems.job_locked,
      ],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { lever: text, team } = parseOrThrow(leverBody, req.body);
      const parsed = parseLever(text);
      if (!parsed.ok) throw new HttpProblem(problems.validation_failed, parsed.error, { errors: [{ field: 'lever', message: parsed.error }] });
      res.json(await deps.levers.apply(parsed.lever, callerOf(req, res), team));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/events',
      summary: "The event journal, oldest first (page on with `after`); instructor-only events only for the instructor, another team's never for a trainee",
      query: eventsQuery,
      responses: { 200: { description: 'Events', schema: z.object({ events: z.array(eventSchema) }) } },
      problems: authProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const query = parseOrThrow(eventsQuery, req.query);
      const caller = callerOf(req, res);
      // A trainee reads its own team's journal and the lab's, never another team's (readerTeam).
      const readerTeam = caller.role === 'trainee' ? (caller.team ?? undefined) : undefined;
      res.json({
        events: await deps.events.list({ ...query, readerTeam, visibility: caller.role === 'instructor' ? ['everyone', 'instructor'] : ['everyone'] }),
      });
    },
  },
];

/** `/api/flags/{name}` → `/api/flags/:name`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

import type { RequestHandler } from 'express';
import { z } from 'zod';
import { jsonBodyProblems, parseOrThrow, problems, type OperationSpec, type ProblemType } from '@firedrill/kit';
import { identityName } from '../identities/identity-names.ts';
import { callerOf, responders, type Role } from '../ops/identity.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { eventSchema, extendRunSchema, runSchema, scenarioSummarySchema as summarySchema, statusSchema } from './runs-contract.ts';
import type { RunService } from './run-service.ts';

export interface RunRouteDeps {
  runs: RunService;
}

/** One route of the runs API, as ops-routes.ts declares its own. */
export interface RunRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  handler: (deps: RunRouteDeps) => RequestHandler;
}

const scenarioId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a scenario id: lower-case letters, digits and dashes');
export const scenarioParams = z.strictObject({ id: scenarioId });
export const runParams = z.strictObject({ id: z.string().regex(/^[\w-]{1,64}$/, 'must be a run id such as run-0123456789ab') });
export const startRunBody = z.strictObject({
  scenario: scenarioId.describe('The scenario to run (GET /api/scenarios); "oncall" picks one by seed and plays it blind'),
  seed: z.number().int().min(0).max(2_147_483_647).optional().describe('Fixes every random choice (on-call pick, blind fault time); random when absent'),
  speed: z.number().min(0.1).max(100).default(1).describe("Divides the scenario's own times (not Prometheus' windows)"),
  blind: z.boolean().default(false).describe('Hide the scenario and briefing from trainees; steps with a window happen at a seeded time in it'),
  team: identityName.optional().describe('The team the run is for (it must exist); when absent: the only team if there is exactly one, else none'),
});
export const runEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('Only events with a greater id'),
  waitMs: z.coerce.number().int().min(0).max(25_000).default(0).describe('Wait up to this long for an event when there is none yet'),
});

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];
const staff: Role[] = ['operator', 'instructor'];
const instructorOnly: Role[] = ['instructor'];
export const extendRunBody = z.strictObject(extendRunSchema.shape).describe('More minutes in the timebox: 1..30 a call, 60 in all over the run');

/** What a pause holds and what it does not, said once for the three routes' documentation. */
const pauseNote =
  'While paused no scheduled step fires and the timebox does not run down; faults already injected keep their own durations ' +
  '(they revert by themselves), and probes, alerts, pages and levers keep working: trainees can still act and the run can resolve. ' +
  'A run may be paused 30 minutes in all (then it resumes by itself) and extended 60 minutes in all. ' +
  'Time paused is not counted against the team in its response times (docs/reports.md).';
const holdProblems: readonly ProblemType[] = [...authProblems, problems.not_found, trainingProblems.run_not_live];

/** The runs API (the contract in the issue 9 design): scenarios, runs, a run's events and status. */
export const runRoutes: readonly RunRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/scenarios',
      summary: 'The scenarios a run can play',
      responses: { 200: { description: 'Scenarios', schema: z.object({ scenarios: z.array(summarySchema) }) } },
      problems: authProblems,
    },
    roles: responders,
    handler: (deps) => (_req, res) => {
      res.json({ scenarios: deps.runs.listScenarios() });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/scenarios/{id}',
      summary: 'One scenario: the whole file with its answer key for the instructor; title, curriculum and briefing for operators',
      params: scenarioParams,
      responses: { 200: { description: 'The scenario', schema: summarySchema.extend({ briefing: z.string() }).loose() } },
      problems: [...authProblems, trainingProblems.unknown_scenario, trainingProblems.scenario_invalid],
    },
    roles: staff,
    handler: (deps) => (req, res) => {
      const { id } = parseOrThrow(scenarioParams, req.params);
      res.json(deps.runs.scenario(id, callerOf(req, res).role));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs',
      summary: 'Start a run: warm-up and steady-state gate, then the timeline; one run at a time',
      body: startRunBody,
      responses: { 201: { description: 'The run, warming', schema: runSchema } },
      problems: [
        ...jsonBodyProblems,
        ...authProblems,
        trainingProblems.unknown_scenario,
        trainingProblems.scenario_invalid,
        trainingProblems.run_in_progress,
        trainingProblems.unknown_team,
      ],
    },
    roles: staff,
    handler: (deps) => async (req, res) => {
      const body = parseOrThrow(startRunBody, req.body);
      const run = await deps.runs.start(body, callerOf(req, res));
      res.status(201).location(`/api/runs/${run.id}`).json(run);
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/runs',
      summary: 'Runs, newest first',
      responses: { 200: { description: 'Runs', schema: z.object({ runs: z.array(runSchema) }) } },
      problems: authProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      res.json({ runs: await deps.runs.list(callerOf(req, res)) });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/runs/{id}',
      summary: "One run (another team's is 404 to a trainee)",
      params: runParams,
      responses: { 200: { description: 'The run', schema: runSchema } },
      problems: [...authProblems, problems.not_found],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.runs.get(id, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/stop',
      summary: 'Stop a run; answered once its cleanup is done (faults cleared, releases and flags restored, load stopped)',
      params: runParams,
      responses: { 200: { description: 'The run, stopped (or as it had already ended)', schema: runSchema } },
      problems: [...authProblems, problems.not_found],
    },
    roles: staff,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.runs.stop(id, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/pause',
      summary: "Pause a live run's timeline (409 while it warms up, once it ended, or when already paused)",
      description: pauseNote,
      params: runParams,
      responses: { 200: { description: "The run's status, pausedAt set", schema: statusSchema } },
      problems: [...holdProblems, trainingProblems.run_already_paused, trainingProblems.run_pause_cap],
    },
    roles: instructorOnly,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.runs.pause(id, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/resume',
      summary: "Resume a paused run's timeline: what was scheduled fires later by the time paused",
      description: pauseNote,
      params: runParams,
      responses: { 200: { description: "The run's status, pausedAt null", schema: statusSchema } },
      problems: [...holdProblems, trainingProblems.run_not_paused],
    },
    roles: instructorOnly,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.runs.resume(id, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/extend',
      summary: 'Give a live run more time: minutes added to its timebox (1..30 a call, 60 in all)',
      description: pauseNote,
      params: runParams,
      body: extendRunBody,
      responses: { 200: { description: "The run's status, timeboxMs with the extension", schema: statusSchema } },
      problems: [...jsonBodyProblems, ...holdProblems, trainingProblems.run_extension_cap],
    },
    roles: instructorOnly,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      const { minutes } = parseOrThrow(extendRunBody, req.body);
      res.json(await deps.runs.extend(id, minutes, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/runs/{id}/events',
      summary: "A run's events after `after`, oldest first; waits up to waitMs for one (long poll). Instructor-only events only for the instructor",
      params: runParams,
      query: runEventsQuery,
      responses: { 200: { description: 'Events', schema: z.object({ events: z.array(eventSchema) }) } },
      problems: [...authProblems, problems.not_found],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      const { after, waitMs } = parseOrThrow(runEventsQuery, req.query);
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const events = await deps.runs.events(id, callerOf(req, res), after, waitMs, gone.signal);
      if (!res.writableEnded && !gone.signal.aborted) res.json({ events });
    },
  },
  {
    spec: {
      method: 'get',
      path: '/api/runs/{id}/status',
      summary: 'What a live screen shows: state, phase, times, golden signals, firing alerts, levers pulled, probes, how long they have held',
      params: runParams,
      responses: { 200: { description: 'The status', schema: statusSchema } },
      problems: [...authProblems, problems.not_found],
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.runs.status(id, callerOf(req, res)));
    },
  },
];

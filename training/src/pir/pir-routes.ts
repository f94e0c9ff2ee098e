import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem, jsonBodyProblems, parseOrThrow, problems, storableText, type OperationSpec, type ProblemType } from '@firedrill/kit';
import { callerOf, responders, type Role } from '../ops/identity.ts';
import { runParams } from '../runs/run-routes.ts';
import { trainingProblems } from '../server/training-problems.ts';
import { maxPirBytes, type PirService } from './pir-service.ts';

export interface PirRouteDeps {
  pirs: PirService;
}

/** One route of the PIR API, as ops-routes.ts declares its own; `bodyLimit` raises the app's JSON limit for it. */
export interface PirRoute {
  spec: Omit<OperationSpec, 'security'>;
  roles: readonly Role[];
  bodyLimit?: string;
  handler: (deps: PirRouteDeps) => RequestHandler;
}

const markdown = storableText()
  .refine((text) => text.trim() !== '', 'must not be empty')
  .describe(`The review as Markdown (at most ${maxPirBytes / 1024} kB)`);
export const pirBody = z.strictObject({ markdown });
export const checkBody = z.strictObject({
  markdown,
  names: z.array(storableText().min(1).max(64)).max(50).default([]).describe("Responders' names, so blame next to them is found"),
});

/** Larger than any accepted review once JSON-escaped; the review's own limit is checked after parsing (413). */
const pirBodyLimit = '1mb';

function withinLimit(text: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxPirBytes)
    throw new HttpProblem(problems.payload_too_large, `The review is ${Math.ceil(bytes / 1024)} kB; at most ${maxPirBytes / 1024} kB`, {
      errors: [{ field: 'markdown', message: `at most ${maxPirBytes} bytes` }],
    });
  return text;
}

const findingSchema = z.object({ rule: z.string(), line: z.number().int().nullable(), message: z.string() });
const figuresSchema = z.object({
  ordersFailed: z.number().nullable(),
  checkoutErrors: z.number().nullable(),
  paymentsFailed: z.number().nullable(),
  errorBudgetBurnedPercent: z.number().nullable(),
  notes: z.array(z.string()),
});
const storedPirSchema = z.object({
  id: z.string(),
  runId: z.string(),
  team: z.string().nullable(),
  score: z.number().int(),
  findings: z.array(findingSchema),
  submittedBy: z.string(),
  submittedAt: z.iso.datetime(),
});

const authProblems: readonly ProblemType[] = [problems.unauthorized, problems.forbidden];
const runProblems: readonly ProblemType[] = [...authProblems, problems.not_found, trainingProblems.run_not_ended];

/** The post-incident review: draft from a run, check, submit (checked and scored on the server). */
export const pirRoutes: readonly PirRoute[] = [
  {
    spec: {
      method: 'get',
      path: '/api/runs/{id}/pir/draft',
      summary: "A PIR drafted from an ended run's events (what the team could see) and its impact figures; the team fills in the TODO(team) lines",
      params: runParams,
      responses: { 200: { description: 'The draft', schema: z.object({ runId: z.string(), markdown: z.string(), figures: figuresSchema }) } },
      problems: runProblems,
    },
    roles: responders,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      res.json(await deps.pirs.draft(id, callerOf(req, res)));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/pir/check',
      summary: 'What a PIR lacks or says in a way that is not blameless: findings with 1-based lines, and the score it would get',
      body: checkBody,
      responses: { 200: { description: 'Findings', schema: z.object({ findings: z.array(findingSchema), score: z.number().int() }) } },
      problems: [...jsonBodyProblems, ...authProblems],
    },
    roles: responders,
    bodyLimit: pirBodyLimit,
    handler: (deps) => (req, res) => {
      const body = parseOrThrow(checkBody, req.body);
      res.json(deps.pirs.check(withinLimit(body.markdown), body.names));
    },
  },
  {
    spec: {
      method: 'post',
      path: '/api/runs/{id}/pir',
      summary: "Submit a run's PIR: checked and scored here, stored, and recorded as a pir.submitted event (a team may submit again)",
      params: runParams,
      body: pirBody,
      responses: { 201: { description: 'The stored review, its findings and score', schema: storedPirSchema } },
      problems: [...jsonBodyProblems, ...runProblems],
    },
    roles: responders,
    bodyLimit: pirBodyLimit,
    handler: (deps) => async (req, res) => {
      const { id } = parseOrThrow(runParams, req.params);
      const body = parseOrThrow(pirBody, req.body);
      res.status(201).json(await deps.pirs.submit(id, withinLimit(body.markdown), callerOf(req, res)));
    },
  },
];

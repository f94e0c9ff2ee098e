import { z } from 'zod';
import { jsonBodyProblems, metricsOperation, openApiDocument, openApiOperation, problems, type OperationSpec } from '@firedrill/kit';
import { webhookNotification } from './alert-store.ts';
import { faultSpec, releaseBinding } from '../faults/catalogue.ts';
import { actorHeaders, agentQuery, clearReleaseBody, faultIdParams, injectRequestSchema, limitQuery } from './request-schemas.ts';

const faultSchema = z.looseObject({
  id: z.string(),
  family: z.enum(faultSpec.options.map((o) => o.shape.family.value)),
  target: z.string(),
  release: releaseBinding,
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  remainingSeconds: z.number().int(),
});

/** Whether each live agent of a fault's target has applied the change yet. */
const agentApplyStatus = z.object({ agent: z.string(), service: z.enum(['api', 'payments', 'worker']), applied: z.boolean() });
const agentsApplied = z.array(agentApplyStatus).describe('The live agents of the target and whether each applied the change (empty for network faults)');

const catalogueSchema = z.object({
  families: z.array(
    z.looseObject({ family: z.string(), summary: z.string(), targets: z.array(z.string()), settings: z.record(z.string(), z.string()), symptoms: z.string() }),
  ),
  defaultDuration: z.string(),
  maxDuration: z.string(),
});

const journalSchema = z.object({
  entries: z.array(
    z.object({
      at: z.iso.datetime(),
      actor: z.string(),
      action: z.enum(['inject', 'clear', 'expire', 'halt', 'restore', 'execute', 'revert']),
      faultId: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

const alertsSchema = z.object({
  alerts: z.array(
    z.object({
      alertname: z.string(),
      severity: z.string().nullable(),
      status: z.enum(['firing', 'resolved']),
      labels: z.record(z.string(), z.string()),
      summary: z.string().nullable(),
      firedAt: z.iso.datetime(),
      resolvedAt: z.iso.datetime().nullable(),
      receivedAt: z.iso.datetime(),
    }),
  ),
});

const instructor = ['instructor'];
const open: string[] = [];

/** Every route of the controller, from the schemas the routes parse with (request-schemas.ts). */
const operations: OperationSpec[] = [
  { ...openApiOperation('/api/openapi.json'), problems: [problems.unauthorized] },
  {
    method: 'get',
    path: '/api/catalogue',
    summary: 'Fault families, their modes, settings and symptoms',
    responses: { 200: { description: 'The catalogue', schema: catalogueSchema } },
    problems: [problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/faults',
    summary: 'Active faults',
    responses: { 200: { description: 'Active faults', schema: z.object({ faults: z.array(faultSchema) }) } },
    problems: [problems.unauthorized],
  },
  {
    method: 'post',
    path: '/api/faults',
    summary:
      "Inject a fault; answered once the live agents of its target carry it out, or after AGENT_APPLY_TIMEOUT_MS naming those that do not. In a class (`lab up --teams`) a fault names one of its teams (`team`), else 409; a single lab's names none",
    headers: actorHeaders,
    body: injectRequestSchema,
    responses: {
      201: {
        description: 'The fault',
        schema: faultSchema.extend({ agents: agentsApplied }),
        headers: { Location: { description: 'Where the fault can be read', schema: z.string() } },
      },
    },
    problems: [...jsonBodyProblems, problems.unauthorized, problems.conflict, problems.dependency_unavailable],
  },
  {
    method: 'post',
    path: '/api/faults/clear-release',
    summary:
      'A service was redeployed (rollback or any other version): clear every fault bound to a release of it; answered once the agents carrying them have reverted them (bounded wait)',
    headers: actorHeaders,
    body: clearReleaseBody,
    responses: {
      200: {
        description: 'The faults cleared (none when no fault was bound to the service)',
        schema: z.object({ service: z.string(), cleared: z.array(faultSchema), agents: agentsApplied }),
      },
    },
    problems: [...jsonBodyProblems, problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/faults/{id}',
    summary: 'One active fault',
    params: faultIdParams,
    responses: { 200: { description: 'The fault', schema: faultSchema } },
    problems: [problems.unauthorized, problems.not_found],
  },
  {
    method: 'delete',
    path: '/api/faults/{id}',
    summary: 'Clear a fault now; answered once the agents carrying it have reverted it (bounded wait)',
    params: faultIdParams,
    headers: actorHeaders,
    responses: { 200: { description: 'Cleared', schema: z.object({ id: z.string(), cleared: z.literal(true), agents: agentsApplied }) } },
    problems: [problems.validation_failed, problems.unauthorized, problems.not_found],
  },
  {
    method: 'post',
    path: '/api/halt',
    summary: 'Clear every active fault at once; answered once the agents have reverted them (bounded wait)',
    headers: actorHeaders,
    responses: { 200: { description: 'How many faults were cleared', schema: z.object({ cleared: z.number().int(), agents: agentsApplied }) } },
    problems: [problems.validation_failed, problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/agents',
    summary: 'The agents in the services heard from lately: live or not, and whether each carries out the current fault set',
    responses: {
      200: { description: 'Agents', schema: z.object({ agents: z.array(agentApplyStatus.extend({ lastSeenAt: z.iso.datetime(), live: z.boolean() })) }) },
    },
    problems: [problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/journal',
    summary: 'Who did what, when, newest first',
    query: limitQuery,
    responses: { 200: { description: 'Journal entries', schema: journalSchema } },
    problems: [problems.validation_failed, problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/alerts',
    summary: 'Alerts as Alertmanager reported them, newest first (open to trainees: they name symptoms, never faults)',
    security: open,
    query: limitQuery,
    responses: { 200: { description: 'Alerts', schema: alertsSchema } },
    problems: [problems.validation_failed],
  },
  {
    method: 'post',
    path: '/api/alerts/webhook',
    summary: "Alertmanager's webhook (version 4 payload); served only when the controller has an alerts token",
    security: ['alertmanager'],
    body: webhookNotification,
    responses: { 204: { description: 'Recorded' } },
    problems: [...jsonBodyProblems, problems.unauthorized],
  },
  {
    method: 'get',
    path: '/api/agent/faults',
    summary: "The faults a service's agent must carry out, and how often to ask again",
    security: ['agent'],
    query: agentQuery,
    responses: {
      200: {
        description: 'Faults for the agent',
        schema: z.object({
          faults: z.array(z.looseObject({ id: z.string(), family: z.string(), target: z.string(), expiresAt: z.iso.datetime() })),
          version: z.number().int(),
          pollMs: z.number().int(),
        }),
      },
    },
    problems: [problems.validation_failed, problems.unauthorized],
  },
  {
    method: 'post',
    path: '/api/agent/faults/{id}/executed',
    summary: 'An agent reports a one-shot fault done',
    security: ['agent'],
    params: faultIdParams,
    responses: { 204: { description: 'Recorded' } },
    problems: [problems.validation_failed, problems.unauthorized, problems.not_found],
  },
  { ...metricsOperation('/metrics'), problems: [problems.unauthorized] },
  {
    method: 'get',
    path: '/health/live',
    summary: 'Liveness',
    security: open,
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('live') }) } },
  },
];

/** The controller's HTTP API, served at GET /api/openapi.json (instructor token required). */
export const controllerOpenApiDocument = openApiDocument({
  title: 'Firedrill chaos controller',
  version: '1.0.0',
  description:
    'Instructor-only fault injection. Every fault has a duration (default 10m, max 2h) and reverts by itself; ' +
    'POST /api/halt clears everything at once. Authenticate with "Authorization: Bearer <token>" (the token is in ' +
    "<lab state dir>/instructor-token); a trainee's token is refused with 403. Optionally name yourself with X-Firedrill-Actor for the journal.",
  securitySchemes: {
    instructor: { type: 'http', scheme: 'bearer', description: 'The instructor token' },
    agent: { type: 'http', scheme: 'bearer', description: "The agents' token" },
    alertmanager: { type: 'http', scheme: 'bearer', description: "Alertmanager's token" },
  },
  security: instructor,
  // A trainee's own token is known to the lab but refused here (403), and journalled.
  operations: operations.map((op) => (op.security === undefined ? { ...op, problems: [...(op.problems ?? []), problems.forbidden] } : op)),
});

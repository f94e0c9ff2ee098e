import { problems, healthOperations, metricsOperation, openApiDocument, openApiOperation, type OperationSpec } from '@firedrill/kit';
import type { Role } from './identity.ts';
import { quizRoutes } from '../quiz/quiz-routes.ts';
import { runbookRoutes } from '../runbooks/runbook-routes.ts';
import { runRoutes } from '../runs/run-routes.ts';
import { opsRoutes } from './ops-routes.ts';

/** The roles an open route admits: anyone, with or without a token. */
export const openRoutes: readonly OperationSpec[] = [...healthOperations('/health'), metricsOperation('/metrics')].map((op) => ({ ...op, security: [] }));

/** Who may read the document itself. */
export const openApiRoles: readonly Role[] = ['operator', 'instructor'];

/** The training process's HTTP API, served at GET /api/openapi.json (operator or instructor token). */
export const trainingOpenApiDocument = openApiDocument({
  title: 'Firedrill training (ops and runs API)',
  version: '1.0.0',
  description:
    'The lab\'s levers, releases, flags and events. Authenticate with "Authorization: Bearer <token>": the operator token ' +
    '(<lab state dir>/secrets/operator-token) pulls every lever but deploy; the instructor token does everything; the agent ' +
    'token only reads the flags. Name yourself with X-Firedrill-Actor for the events. Every lever application is an event. ' +
    'Runs: start a scenario with POST /api/runs, follow it with its events (long poll) and status; the training process owns it and cleans up after it. ' +
    'Runbooks: the runbook runner records each step with POST /api/runbooks/steps. Quiz: GET /api/quiz, answer with POST /api/quiz/answers.',
  securitySchemes: {
    instructor: { type: 'http', scheme: 'bearer', description: 'The instructor token' },
    operator: { type: 'http', scheme: 'bearer', description: 'The operator token (trainee means until trainee identities exist)' },
    agent: { type: 'http', scheme: 'bearer', description: "The agents' token: flag reads only" },
  },
  operations: [
    ...[...opsRoutes, ...runRoutes, ...runbookRoutes, ...quizRoutes].map((route) => ({ ...route.spec, security: [...route.roles] })),
    { ...openApiOperation('/api/openapi.json'), security: [...openApiRoles], problems: [problems.unauthorized, problems.forbidden] },
    ...openRoutes,
  ],
});

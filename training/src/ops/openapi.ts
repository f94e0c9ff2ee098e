import { problems, healthOperations, metricsOperation, openApiDocument, openApiOperation, type OperationSpec } from '@firedrill/kit';
import { trainingRoutes } from '../server/training-routes.ts';
import { responders, type Role } from './identity.ts';

/** The roles an open route admits: anyone, with or without a token. */
export const openRoutes: readonly OperationSpec[] = [...healthOperations('/health'), metricsOperation('/metrics')].map((op) => ({ ...op, security: [] }));

/** Who may read the document itself. */
export const openApiRoles: readonly Role[] = responders;

/** The training process's HTTP API, served at GET /api/openapi.json (operator or instructor token). */
export const trainingOpenApiDocument = openApiDocument({
  title: 'Firedrill training (ops and runs API)',
  version: '1.0.0',
  description:
    'The lab\'s levers, releases, flags and events. Authenticate with "Authorization: Bearer <token>": the operator token ' +
    "(<lab state dir>/secrets/operator-token) and a trainee's own token pull every lever but deploy (a trainee only during its own " +
    "team's runs); the instructor token does everything, including teams and trainees; the agent " +
    'token only reads the flags. Name yourself with X-Firedrill-Actor for the events. Every lever application is an event. ' +
    'Runs: start a scenario with POST /api/runs, follow it with its events (long poll) and status; the training process owns it and cleans up after it. ' +
    'Incidents (/api/incident/…) and hints (/api/hints) belong to the run in progress; their writes need an Idempotency-Key. ' +
    'Runbooks: the runbook runner records each step with POST /api/runbooks/steps. Quiz: GET /api/quiz, answer with POST /api/quiz/answers.',
  securitySchemes: {
    instructor: { type: 'http', scheme: 'bearer', description: 'The instructor token' },
    operator: { type: 'http', scheme: 'bearer', description: "The operator token: a trainee's means, for the current run's team" },
    trainee: { type: 'http', scheme: 'bearer', description: "A trainee's own token (`lab trainees add`): a trainee's means, for its own team's runs only" },
    agent: { type: 'http', scheme: 'bearer', description: "The agents' token: flag reads only" },
  },
  operations: [
    ...trainingRoutes.map((route) => ({
      ...route.spec,
      security: [...route.roles],
    })),
    { ...openApiOperation('/api/openapi.json'), security: [...openApiRoles], problems: [problems.unauthorized, problems.forbidden] },
    ...openRoutes,
  ],
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, HttpProblem, problems, prom, startHttpServer, type RunningServer } from '@firedrill/kit';
import { createLeverService } from '../levers/lever-service.ts';
import { buildTrainingApp, type TrainingAppDeps } from '../server/app.ts';
import { roles, type Role, type RoleTokens } from './identity.ts';
import { trainingOpenApiDocument } from './openapi.ts';
import { quizRoutes } from '../quiz/quiz-routes.ts';
import { runbookRoutes } from '../runbooks/runbook-routes.ts';
import { runRoutes } from '../runs/run-routes.ts';
import { opsRoutes } from './ops-routes.ts';

/**
 * Every route of the ops API, called with every identity: no token and an unknown token are 401,
 * a known token without the route's role is 403, and a caller with the role gets past the check.
 * The stores behind the routes are stand-ins that answer 409 "reached": this test is about who
 * gets in, the integration tests about what happens inside.
 */
const tokens: RoleTokens = {
  instructor: 'i'.repeat(40),
  operator: 'o'.repeat(40),
  agent: 'a'.repeat(40),
};
const reached = () => {
  throw new HttpProblem(problems.conflict, 'reached the handler');
};
const standIn = <T extends object>(): T => new Proxy({}, { get: () => reached }) as T;

/** A request each route accepts as valid, so only the role decides the answer. */
const sampleRequests: Record<string, { path: string; body?: unknown }> = {
  'get /api/flags': { path: '/api/flags' },
  'get /api/flags/{name}': { path: '/api/flags/api.degraded-mode' },
  'put /api/flags/{name}': { path: '/api/flags/api.degraded-mode', body: { value: true } },
  'get /api/releases': { path: '/api/releases' },
  'post /api/releases/{service}/deploy': { path: '/api/releases/payments/deploy', body: { version: '2.4.0' } },
  'post /api/releases/{service}/rollback': { path: '/api/releases/payments/rollback' },
  'post /api/levers': { path: '/api/levers', body: { lever: 'restart api' } },
  'get /api/events': { path: '/api/events' },
  'get /api/openapi.json': { path: '/api/openapi.json' },
  'get /api/scenarios': { path: '/api/scenarios' },
  'get /api/scenarios/{id}': { path: '/api/scenarios/lab1-high-latency' },
  'post /api/runs': { path: '/api/runs', body: { scenario: 'lab1-high-latency' } },
  'get /api/runs': { path: '/api/runs' },
  'get /api/runs/{id}': { path: '/api/runs/run-0123456789ab' },
  'post /api/runs/{id}/stop': { path: '/api/runs/run-0123456789ab/stop' },
  'get /api/runs/{id}/events': { path: '/api/runs/run-0123456789ab/events' },
  'get /api/runs/{id}/status': { path: '/api/runs/run-0123456789ab/status' },
  'post /api/runbooks/steps': { path: '/api/runbooks/steps', body: { runbook: 'latency-rollback', step: 'roll back', status: 'started' } },
  'get /api/quiz': { path: '/api/quiz' },
  'post /api/quiz/answers': { path: '/api/quiz/answers', body: { answers: {} } },
};

let server: RunningServer;
const deps = (): TrainingAppDeps => ({
  tokens,
  registry: new prom.Registry(),
  logger: createLogger('training-test', 'silent'),
  readyChecks: {},
  readyTimeoutMs: 100,
  flags: standIn(),
  releases: standIn(),
  releaseStore: standIn(),
  events: standIn(),
  runs: standIn(),
  quiz: standIn(),
  quizAttempts: standIn(),
  // The real lever service: its own role check (deploy is the instructor's) comes before any store.
  levers: createLeverService({
    events: standIn(),
    flags: standIn(),
    releases: standIn(),
    supervisor: standIn(),
    redis: standIn(),
    redisLevers: standIn(),
    queuePrefix: 'test',
    shopAdminDatabaseUrl: 'postgres://unused',
    deadLetterLockWaitMs: 0,
  }),
});

beforeAll(async () => {
  server = await startHttpServer(buildTrainingApp(deps()), { port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method: method.toUpperCase(),
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

/** Every operation of the document that needs a token, with the roles it admits. */
const guarded = Object.entries(trainingOpenApiDocument.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, { security?: Array<Record<string, unknown>> }>)
    .filter(([, op]) => (op.security ?? []).length > 0)
    .map(([method, op]) => ({ key: `${method} ${path}`, method, allowed: op.security!.flatMap((s) => Object.keys(s)) as Role[] })),
);

describe('the ops and runs API, every route with every identity', () => {
  it('when the document lists the guarded routes, then each has a sample request here and each ops route is among them', () => {
    expect(guarded.map((g) => g.key).sort()).toEqual(Object.keys(sampleRequests).sort());
    expect(opsRoutes.length + runRoutes.length + runbookRoutes.length + quizRoutes.length).toBe(guarded.length - 1); // all but the document itself
  });

  for (const { key, method, allowed } of guarded) {
    it(`when ${key} is called without a token or with an unknown one, then it is 401`, async () => {
      const { path, body } = sampleRequests[key]!;
      expect((await call(method, path, undefined, body)).status).toBe(401);
      expect((await call(method, path, 'x'.repeat(40), body)).status).toBe(401);
    });

    // Trainee tokens live in the lab's database; their own test starts one (teams and trainees).
    for (const role of roles.filter((r) => r !== 'trainee')) {
      const admitted = allowed.includes(role);
      it(`when ${key} is called with the ${role} token, then it is ${admitted ? 'let through' : 'refused with 403'}`, async () => {
        const { path, body } = sampleRequests[key]!;
        const response = await call(method, path, tokens[role], body);
        if (admitted) expect([401, 403]).not.toContain(response.status);
        else {
          expect(response.status).toBe(403);
          expect(((await response.json()) as { code: string }).code).toBe('forbidden');
        }
      });
    }
  }

  it("when an operator pulls the deploy lever through /api/levers, then it is 403: deploys are the instructor's", async () => {
    const response = await call('post', '/api/levers', tokens.operator, { lever: 'deploy payments 2.4.0' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/needs the instructor token/);
  });

  it('when the open routes are called without a token, then they answer', async () => {
    expect((await call('get', '/health/live', undefined)).status).toBe(200);
    expect((await call('get', '/metrics', undefined)).status).toBe(200);
  });

  it('when a caller names itself with an unacceptable X-Firedrill-Actor, then it is 400, not a 500', async () => {
    const response = await fetch(`${server.url}/api/flags`, { headers: { authorization: `Bearer ${tokens.operator}`, 'x-firedrill-actor': 'a'.repeat(65) } });
    expect(response.status).toBe(400);
  });
});

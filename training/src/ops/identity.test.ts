import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, HttpProblem, problems, prom, startHttpServer, type RunningServer } from '@firedrill/kit';
import { createLeverService } from '../levers/lever-service.ts';
import { buildTrainingApp, type TrainingAppDeps } from '../server/app.ts';
import { roles, type Role, type RoleTokens, type TraineeLookup } from './identity.ts';
import { trainingRoutes } from '../server/training-routes.ts';
import { trainingOpenApiDocument } from './openapi.ts';
import { createShopDirectory } from '../runs/team-shops.ts';

/**
 * Every route of the ops API, called with every identity: no token and an unknown token are 401,
 * a known token without the route's role is 403, and a caller with the role gets past the check.
 * The stores behind the routes are stand-ins that answer 409 "reached": this test is about who
 * gets in, the integration tests about what happens inside. The trainee's token is recognised by
 * a stand-in lookup here (the trainee store's own tests look it up in Postgres).
 */
const tokens: RoleTokens & { trainee: string } = {
  instructor: 'i'.repeat(40),
  operator: 'o'.repeat(40),
  agent: 'a'.repeat(40),
  trainee: 't'.repeat(43),
};
/** A token whose lookup fails, as when the lab's database is away. */
const unluckyToken = 'u'.repeat(43);
const findTrainee: TraineeLookup = async (presented) => {
  if (presented === unluckyToken) throw new Error('connect ECONNREFUSED');
  return presented === tokens.trainee ? { name: 'grace', team: 'blue' } : undefined;
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
  'get /api/queue': { path: '/api/queue' },
  'post /api/levers': { path: '/api/levers', body: { lever: 'restart api' } },
  'get /api/events': { path: '/api/events' },
  'get /api/openapi.json': { path: '/api/openapi.json' },
  'get /api/scenarios': { path: '/api/scenarios' },
  'get /api/scenarios/{id}': { path: '/api/scenarios/lab1-high-latency' },
  'post /api/runs': { path: '/api/runs', body: { scenario: 'lab1-high-latency' } },
  'get /api/runs': { path: '/api/runs' },
  'get /api/runs/{id}': { path: '/api/runs/run-0123456789ab' },
  'post /api/runs/{id}/stop': { path: '/api/runs/run-0123456789ab/stop' },
  'post /api/runs/{id}/pause': { path: '/api/runs/run-0123456789ab/pause' },
  'post /api/runs/{id}/resume': { path: '/api/runs/run-0123456789ab/resume' },
  'post /api/runs/{id}/extend': { path: '/api/runs/run-0123456789ab/extend', body: { minutes: 5 } },
  'get /api/runs/{id}/events': { path: '/api/runs/run-0123456789ab/events' },
  'get /api/runs/{id}/status': { path: '/api/runs/run-0123456789ab/status' },
  'get /api/whoami': { path: '/api/whoami' },
  'post /api/teams': { path: '/api/teams', body: { name: 'blue' } },
  'get /api/teams': { path: '/api/teams' },
  'post /api/trainees': { path: '/api/trainees', body: { name: 'grace', team: 'blue' } },
  'get /api/trainees': { path: '/api/trainees' },
  'delete /api/trainees/{name}': { path: '/api/trainees/grace' },
  'post /api/incident/declare': { path: '/api/incident/declare', body: { title: 'Checkout is slow', severity: 'P2' } },
  'post /api/incident/ack': { path: '/api/incident/ack' },
  'post /api/incident/severity': { path: '/api/incident/severity', body: { severity: 'P1', reason: 'worse' } },
  'post /api/incident/role': { path: '/api/incident/role', body: { role: 'ic', trainee: 'ada' } },
  'post /api/incident/update': { path: '/api/incident/update', body: { kind: 'update', text: 'Still on it' } },
  'post /api/incident/note': { path: '/api/incident/note', body: { text: 'p95 rose' } },
  'post /api/incident/mitigated': { path: '/api/incident/mitigated' },
  'post /api/incident/resolve': { path: '/api/incident/resolve' },
  'get /api/incident/status': { path: '/api/incident/status' },
  'get /api/incident/timeline': { path: '/api/incident/timeline' },
  'get /api/incident/templates': { path: '/api/incident/templates' },
  'post /api/hints/next': { path: '/api/hints/next' },
  'get /api/hints': { path: '/api/hints' },
  'get /api/runs/{id}/report': { path: '/api/runs/run-0123456789ab/report?format=html' },
  'post /api/runs/{id}/debrief': { path: '/api/runs/run-0123456789ab/debrief' },
  'get /api/scoreboard': { path: '/api/scoreboard' },
  'get /api/runs/{id}/pir/draft': { path: '/api/runs/run-0123456789ab/pir/draft' },
  'post /api/pir/check': { path: '/api/pir/check', body: { markdown: '# PIR' } },
  'post /api/runs/{id}/pir': { path: '/api/runs/run-0123456789ab/pir', body: { markdown: '# PIR' } },
  'get /api/runbooks': { path: '/api/runbooks' },
  'get /api/runbooks/{id}': { path: '/api/runbooks/payments-rollback' },
  'post /api/runbooks/steps': { path: '/api/runbooks/steps', body: { runbook: 'latency-rollback', step: 'roll back', status: 'started' } },
  'get /api/quiz': { path: '/api/quiz' },
  'post /api/quiz/answers': { path: '/api/quiz/answers', body: { answers: {} } },
  'post /api/shell/commands': { path: '/api/shell/commands', body: { command: 'ls', exitStatus: 0 } },
};

let server: RunningServer;
const singleShop = () =>
  createShopDirectory({
    apiUrl: 'http://unused',
    paymentsUrl: 'http://unused',
    adminDatabaseUrl: 'postgres://unused/shop',
    queuePrefix: 'test',
    adminRedisUrl: 'redis://unused',
  });

const deps = (): TrainingAppDeps => ({
  tokens: { instructor: tokens.instructor, operator: tokens.operator, agent: tokens.agent },
  findTrainee,
  identities: standIn(),
  registry: new prom.Registry(),
  logger: createLogger('training-test', 'silent'),
  readyChecks: {},
  readyTimeoutMs: 100,
  flags: standIn(),
  releases: standIn(),
  releaseStore: standIn(),
  events: standIn(),
  shops: singleShop(),
  runs: standIn(),
  incidents: standIn(),
  reports: standIn(),
  pirs: standIn(),
  quiz: standIn(),
  quizAttempts: standIn(),
  // The real lever service: its own role check (deploy is the instructor's) comes before any store.
  levers: createLeverService({
    events: standIn(),
    flags: standIn(),
    releases: standIn(),
    supervisor: standIn(),
    redisOf: standIn(),
    shops: singleShop(),
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
    expect(trainingRoutes.length).toBe(guarded.length - 1); // all but the document itself
  });

  for (const { key, method, allowed } of guarded) {
    it(`when ${key} is called without a token or with an unknown one, then it is 401`, async () => {
      const { path, body } = sampleRequests[key]!;
      expect((await call(method, path, undefined, body)).status).toBe(401);
      expect((await call(method, path, 'x'.repeat(40), body)).status).toBe(401);
    });

    for (const role of roles) {
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

  it("when the document lists pause, resume and extend, then only the instructor may hold or extend a run's timeline", () => {
    for (const action of ['pause', 'resume', 'extend']) expect(guarded.find((g) => g.key === `post /api/runs/{id}/${action}`)?.allowed).toEqual(['instructor']);
  });

  it("when an operator pulls the deploy lever through /api/levers, then it is 403: deploys are the instructor's", async () => {
    const response = await call('post', '/api/levers', tokens.operator, { lever: 'deploy payments 2.4.0' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/needs the instructor token/);
  });

  it("when a trainee pulls the deploy lever through /api/levers, then it is 403: deploys are the instructor's", async () => {
    const response = await call('post', '/api/levers', tokens.trainee, { lever: 'deploy payments 2.4.0' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/needs the instructor token; you sent the trainee token/);
  });

  it('when a trainee asks who it is, then it is its name and team, whatever X-Firedrill-Actor it sends', async () => {
    const response = await fetch(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${tokens.trainee}`, 'x-firedrill-actor': 'instructor' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ role: 'trainee', actor: 'trainee:grace', team: 'blue', trainee: 'grace' });
  });

  it('when the operator asks who it is, naming itself, then it is the operator under that name, for no team', async () => {
    const response = await fetch(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${tokens.operator}`, 'x-firedrill-actor': 'ada' } });
    expect(await response.json()).toEqual({ role: 'operator', actor: 'operator:ada', team: null, trainee: null });
  });

  it("when a trainee token cannot be checked (the lab's database is away), then it is 503, not a 401 or a 500", async () => {
    const response = await call('get', '/api/whoami', unluckyToken);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { code: string }).code).toBe('dependency_unavailable');
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

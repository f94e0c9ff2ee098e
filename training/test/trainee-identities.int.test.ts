/**
 * Trainee identities end to end, in-process against real Postgres, Redis and Toxiproxy: the
 * instructor adds teams and trainees (a token shown once, kept only as its hash), a trainee's
 * token is recognised and admitted to the responders' routes only, a trainee may not act during
 * another team's run, and the chaos controller answers a trainee's token with 403 at every fault
 * route, changes nothing and journals the attempt. No shop runs here: a run stays warming (its
 * gate cannot pass), which is all the team check needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '@firedrill/chaos/testing';
import { createLogger, ensureTokenFile, tokenHash } from '@firedrill/kit';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '../src/index.ts';
import { writeShortScenario } from './helpers/runs-api.ts';

const logger = createLogger('identities-test', 'silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'training-identities-'));
const token = { instructor: '', operator: '', agent: '' };
/** Trainees' tokens as `POST /api/trainees` answered them. */
const trainee: Record<string, string> = {};
let chaos: TestController;
let training: RunningTraining;
let labDb: pg.Pool;
let scenario: string;

beforeAll(async () => {
  for (const role of ['instructor', 'operator', 'agent'] as const) token[role] = ensureTokenFile(path.join(dir, `${role}-token`));
  const labDatabaseUrl = await createTestDatabase('lab');
  const shopDatabaseUrl = await createTestDatabase('shop');
  labDb = new pg.Pool({ connectionString: labDatabaseUrl, max: 2 });
  chaos = await startTestController(dir, labDatabaseUrl);
  const scenariosDir = path.join(dir, 'scenarios');
  scenario = writeShortScenario(scenariosDir);
  training = await startTraining(
    trainingConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: labDatabaseUrl,
      SHOP_ADMIN_DATABASE_URL: shopDatabaseUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: uniqueName('fdids'),
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      CHAOS_URL: chaos.url,
      SCENARIOS_DIR: scenariosDir,
      RUNS_DIR: path.join(dir, 'runs'),
      // No shop and no Prometheus: a run's steady-state gate cannot pass, so it stays warming until stopped.
      API_URL: 'http://127.0.0.1:1',
      PAYMENTS_URL: 'http://127.0.0.1:1',
      PROMETHEUS_URL: 'http://127.0.0.1:1',
    }),
    { logger },
  );
}, 60_000);

afterAll(async () => {
  await training?.close();
  await chaos?.close();
  await labDb?.end();
  rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; type: string; cache: string | null; body: Record<string, any> };
async function send(base: string, method: string, route: string, bearer: string | undefined, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(bearer && { authorization: `Bearer ${bearer}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    cache: response.headers.get('cache-control'),
    body: text.startsWith('{') ? JSON.parse(text) : { text },
  };
}
const call = (method: string, route: string, bearer: string | undefined, body?: unknown) => send(training.url, method, route, bearer, body);
const instructorEvents = async (kind: string) =>
  (await call('GET', `/api/events?kind=${kind}&limit=1000`, token.instructor)).body.events as Array<Record<string, any>>;

describe('teams and trainees, as the instructor manages them', () => {
  it('when a team is asked for with a bad name or a bad body, then it is 400 problem+json and no team is added', async () => {
    for (const body of [{ name: 'Blue' }, { name: '-blue' }, { name: 'x'.repeat(33) }, {}, { name: 'blue', extra: 1 }, '{"name":']) {
      const answer = await call('POST', '/api/teams', token.instructor, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.type).toContain('application/problem+json');
    }
    expect((await call('GET', '/api/teams', token.instructor)).body.teams).toEqual([]);
  });

  it('when teams are added, then they are listed; adding one again is 409', async () => {
    expect((await call('POST', '/api/teams', token.instructor, { name: 'blue' })).status).toBe(201);
    const red = await call('POST', '/api/teams', token.instructor, { name: 'red' });
    expect(red.status).toBe(201);
    expect(red.body).toMatchObject({ name: 'red', trainees: 0 });
    const again = await call('POST', '/api/teams', token.instructor, { name: 'blue' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect((await call('GET', '/api/teams', token.instructor)).body.teams.map((t: { name: string }) => t.name)).toEqual(['blue', 'red']);
  });

  it('when a trainee is added, then the answer holds its token once (not cached), and only the hash of it is stored', async () => {
    const added = await call('POST', '/api/trainees', token.instructor, { name: 'grace', team: 'blue' });
    expect(added.status).toBe(201);
    expect(added.cache).toBe('no-store');
    expect(added.body).toMatchObject({ name: 'grace', team: 'blue' });
    expect(added.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    trainee.grace = added.body.token;

    const { rows } = await labDb.query('SELECT * FROM training.trainees');
    expect(rows).toEqual([expect.objectContaining({ name: 'grace', team: 'blue', token_hash: tokenHash(added.body.token) })]);
    expect(JSON.stringify(rows)).not.toContain(trainee.grace);

    for (const [name, team] of [
      ['ada', 'blue'],
      ['rex', 'red'],
    ] as const) {
      const answer = await call('POST', '/api/trainees', token.instructor, { name, team });
      expect(answer.status).toBe(201);
      trainee[name] = answer.body.token;
    }
    expect(new Set(Object.values(trainee)).size).toBe(3);
  });

  it('when trainees are listed, then each has its name and team and no token or hash; teams count them', async () => {
    const { body } = await call('GET', '/api/trainees', token.instructor);
    expect(body.trainees.map((t: Record<string, unknown>) => Object.keys(t).sort())).toEqual(Array(3).fill(['createdAt', 'name', 'team']));
    expect(body.trainees.map((t: { name: string; team: string }) => `${t.team}/${t.name}`)).toEqual(['blue/ada', 'blue/grace', 'red/rex']);
    expect((await call('GET', '/api/teams', token.instructor)).body.teams.map((t: { trainees: number }) => t.trainees)).toEqual([2, 1]);
  });

  it('when a trainee is asked for in an unknown team, again, or with a bad name, then it is 422, 409 or 400, and nothing is added', async () => {
    const unknownTeam = await call('POST', '/api/trainees', token.instructor, { name: 'lin', team: 'green' });
    expect(unknownTeam.status).toBe(422);
    expect(unknownTeam.body).toMatchObject({ code: 'unknown_team', errors: [{ field: 'team' }] });
    const duplicate = await call('POST', '/api/trainees', token.instructor, { name: 'grace', team: 'red' });
    expect(duplicate.status).toBe(409);
    for (const body of [{ name: 'Lin', team: 'blue' }, { name: 'lin' }, { name: 'lin', team: 'Blue' }, { name: 'lin', team: 'blue', token: 'x' }])
      expect((await call('POST', '/api/trainees', token.instructor, body)).status, JSON.stringify(body)).toBe(400);
    expect((await call('GET', '/api/trainees', token.instructor)).body.trainees).toHaveLength(3);
  });

  it('when identities change, then each change is an instructor-only identity.changed event that never holds a token', async () => {
    const changes = await instructorEvents('identity.changed');
    expect(changes.map((e) => [e.data.action, e.data.trainee ?? e.data.team, e.team, e.actor, e.visibility])).toEqual([
      ['team.added', 'blue', 'blue', 'instructor', 'instructor'],
      ['team.added', 'red', 'red', 'instructor', 'instructor'],
      ['trainee.added', 'grace', 'blue', 'instructor', 'instructor'],
      ['trainee.added', 'ada', 'blue', 'instructor', 'instructor'],
      ['trainee.added', 'rex', 'red', 'instructor', 'instructor'],
    ]);
    for (const secret of Object.values(trainee)) expect(JSON.stringify(changes)).not.toContain(secret);
    const { rows } = await labDb.query("SELECT data::text FROM training.events WHERE data::text LIKE '%' || $1 || '%'", [trainee.grace!.slice(0, 20)]);
    expect(rows).toEqual([]);
    const operatorView = (await call('GET', '/api/events?kind=identity.changed', token.operator)).body.events;
    expect(operatorView).toEqual([]);
  });
});

describe("a trainee's token", () => {
  it('when a trainee asks who it is, then it is its name and team', async () => {
    const { status, body } = await call('GET', '/api/whoami', trainee.grace);
    expect(status).toBe(200);
    expect(body).toEqual({ role: 'trainee', actor: 'trainee:grace', team: 'blue', trainee: 'grace' });
  });

  it('when a trainee pulls a lever outside any run, then it acts, and the events record it by name for its team', async () => {
    const set = await call('PUT', '/api/flags/api.payment-retries', trainee.grace, { value: 1 });
    expect(set.status).toBe(200);
    expect((await instructorEvents('lever.applied')).at(-1)).toMatchObject({ actor: 'trainee:grace', team: 'blue', runId: null });
    expect((await instructorEvents('flag.changed')).at(-1)).toMatchObject({ actor: 'trainee:grace' });
  });

  it("when a trainee calls the instructor's routes (identities, run start, deploys), then it is 403 and nothing changes", async () => {
    expect((await call('POST', '/api/teams', trainee.grace, { name: 'green' })).status).toBe(403);
    expect((await call('GET', '/api/trainees', trainee.grace)).status).toBe(403);
    expect((await call('DELETE', '/api/trainees/rex', trainee.grace)).status).toBe(403);
    expect((await call('POST', '/api/runs', trainee.grace, { scenario })).status).toBe(403);
    expect((await call('POST', '/api/releases/payments/deploy', trainee.grace, { version: '2.4.0' })).status).toBe(403);
    expect((await call('GET', '/api/teams', token.instructor)).body.teams).toHaveLength(2);
    expect((await call('GET', '/api/runs', token.instructor)).body.runs).toEqual([]);
  });

  it('when a trainee reads the events, then it sees none of the instructor-only ones', async () => {
    const { status, body } = await call('GET', '/api/events?limit=1000', trainee.grace);
    expect(status).toBe(200);
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.filter((e: { visibility: string }) => e.visibility !== 'everyone')).toEqual([]);
  });

  it('when a trainee is removed, then its token is refused at once (401), removing it again is 404, and a bad name is 400', async () => {
    const removable = await call('POST', '/api/trainees', token.instructor, { name: 'lin', team: 'blue' });
    expect((await call('GET', '/api/whoami', removable.body.token)).status).toBe(200);
    const removed = await call('DELETE', '/api/trainees/lin', token.instructor);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ name: 'lin', team: 'blue' });
    expect((await call('GET', '/api/whoami', removable.body.token)).status).toBe(401);
    expect((await call('DELETE', '/api/trainees/lin', token.instructor)).status).toBe(404);
    expect((await call('DELETE', '/api/trainees/Not_A_Name', token.instructor)).status).toBe(400);
    expect((await instructorEvents('identity.changed')).at(-1)).toMatchObject({ data: { action: 'trainee.removed', trainee: 'lin', team: 'blue' } });
  });
});

describe("a run is one team's", () => {
  it('when a run is asked for an unknown team or with a bad team name, then it is 422 or 400 and no run starts', async () => {
    const unknown = await call('POST', '/api/runs', token.instructor, { scenario, team: 'green' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('unknown_team');
    expect((await call('POST', '/api/runs', token.instructor, { scenario, team: 'Red Team' })).status).toBe(400);
    expect((await call('GET', '/api/runs', token.instructor)).body.runs).toEqual([]);
  });

  it("when a run goes for team red, then its events carry red, a blue trainee's lever is 403 and journalled, and a red trainee's acts", async () => {
    const started = await call('POST', '/api/runs', token.instructor, { scenario, team: 'red' });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    try {
      expect(started.body.team).toBe('red');
      expect((await call('GET', `/api/runs/${runId}`, trainee.rex)).body).toMatchObject({ id: runId, team: 'red' });

      const flagBefore = (await call('GET', '/api/flags', token.agent)).body.flags['api.payment-timeout-ms'];
      const refused = await call('PUT', '/api/flags/api.payment-timeout-ms', trainee.ada, { value: 900 });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'other_team' });
      expect(refused.body.detail).toMatch(/team red's/);
      expect((await call('POST', '/api/levers', trainee.ada, { lever: 'restart api' })).status).toBe(403);
      expect((await call('GET', '/api/flags', token.agent)).body.flags['api.payment-timeout-ms']).toBe(flagBefore);

      const attempts = (await instructorEvents('access.refused')).filter((e) => e.runId === runId);
      expect(attempts.map((e) => [e.actor, e.team, e.visibility, e.data.action])).toEqual([
        ['trainee:ada', 'blue', 'instructor', 'flag api.payment-timeout-ms 900'],
        ['trainee:ada', 'blue', 'instructor', 'restart api'],
      ]);
      // The refused attempts are the instructor's to see, not the teams'.
      expect((await call('GET', `/api/runs/${runId}/events`, trainee.rex)).body.events.filter((e: { kind: string }) => e.kind === 'access.refused')).toEqual(
        [],
      );

      const acted = await call('PUT', '/api/flags/api.payment-timeout-ms', trainee.rex, { value: 900 });
      expect(acted.status).toBe(200);
      expect((await instructorEvents('lever.applied')).at(-1)).toMatchObject({ actor: 'trainee:rex', team: 'red', runId });
      // The operator acts for whichever run is going on.
      expect((await call('PUT', '/api/flags/api.payment-timeout-ms', token.operator, { value: 2000 })).status).toBe(200);
    } finally {
      expect((await call('POST', `/api/runs/${runId}/stop`, token.instructor)).status).toBe(200);
    }
    const runEvents = (await call('GET', `/api/runs/${runId}/events`, token.instructor)).body.events as Array<{ kind: string; team: string | null }>;
    expect(runEvents.filter((e) => e.kind === 'run.state').map((e) => e.team)).toEqual(['red', 'red']);
  });

  it('when no team is named, then a run is for no team while several exist (a run for one team only when exactly one exists)', async () => {
    const started = await call('POST', '/api/runs', token.instructor, { scenario });
    expect(started.status).toBe(201);
    expect(started.body.team).toBeNull();
    // A run for no team is anyone's: a trainee of any team may act.
    expect((await call('PUT', '/api/flags/api.payment-retries', trainee.ada, { value: 3 })).status).toBe(200);
    expect((await call('POST', `/api/runs/${started.body.id}/stop`, token.instructor)).status).toBe(200);
  });
});

describe('the chaos controller and a trainee', () => {
  const chaosCall = (method: string, route: string, bearer: string | undefined, body?: unknown) => send(chaos.url, method, route, bearer, body);

  it('when a trainee calls any fault route, then it is 403 (not 401), no fault changes, and each attempt is journalled for the instructor', async () => {
    const injected = await chaosCall('POST', '/api/faults', token.instructor, { family: 'latency', target: 'payments', ms: 300, for: '5m' });
    expect(injected.status).toBe(201);
    const faultId = injected.body.id as string;
    const faultsBefore = (await chaosCall('GET', '/api/faults', token.instructor)).body.faults;
    const since = Math.max(0, ...(await instructorEvents('access.refused')).map((e) => e.id as number));

    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/faults'],
      ['GET', `/api/faults/${faultId}`],
      ['POST', '/api/faults', { family: 'errors', target: 'api', rate: 1, for: '5m' }],
      ['DELETE', `/api/faults/${faultId}`],
      ['POST', '/api/faults/clear-release', { service: 'payments' }],
      ['POST', '/api/halt'],
      ['GET', '/api/journal'],
      ['GET', '/api/catalogue'],
      ['GET', '/api/agents'],
      ['GET', '/api/openapi.json'],
      ['GET', '/metrics'],
    ];
    for (const [method, route, body] of routes) {
      const answer = await chaosCall(method, route, trainee.grace, body);
      expect(answer.status, `${method} ${route}`).toBe(403);
      expect(answer.body.code).toBe('forbidden');
    }
    // A token the lab does not know is still a stranger's.
    expect((await chaosCall('POST', '/api/halt', 'x'.repeat(43))).status).toBe(401);

    expect((await chaosCall('GET', '/api/faults', token.instructor)).body.faults).toEqual(
      faultsBefore.map((f: Record<string, unknown>) => ({ ...f, remainingSeconds: expect.any(Number) })),
    );
    const journalled = (await instructorEvents('access.refused')).filter((e) => e.id > since);
    expect(journalled.map((e) => e.data.action)).toEqual(routes.map(([method, route]) => `${method} ${route}`));
    for (const event of journalled) expect(event).toMatchObject({ actor: 'trainee:grace', team: 'blue', visibility: 'instructor' });
    expect(JSON.stringify(journalled)).not.toContain(trainee.grace);

    expect((await chaosCall('DELETE', `/api/faults/${faultId}`, token.instructor)).status).toBe(200);
  });
});

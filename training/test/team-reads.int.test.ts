/**
 * A class's teams read only their own: every training GET a trainee can call with another team's
 * run id or `?team=` is refused (a run: 404, as if it did not exist; a report, a PIR or another
 * team's shop: 403), lists and journals leave the other team's runs out, and the instructor and
 * the operator read every team's. In-process against real Postgres, Redis, Toxiproxy and the chaos
 * controller, with a class of two teams (CLASS_SHOPS); no shop runs, so a run stays warming until
 * it is stopped, which is all reading needs. Also: a team's run of Lab 5 (redis-memory-pressure,
 * which presses the team's own Redis in a class) starts like any other, picked by on-call too.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '@firedrill/chaos/testing';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '../src/index.ts';
import { writeShortScenario } from './helpers/runs-api.ts';
import { defaultScenariosDir as repoScenarios, loadScenario } from '../src/scenario/load-scenario.ts';
import { isOncall } from '../src/scenario/scenario-schema.ts';
import { pickFromPool } from '../src/scenario/timeline.ts';

const started = Date.now();
const logger = createLogger('team-reads-test', 'silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'training-team-reads-'));
const token: Record<string, string> = {};
const runOf: Record<'blue' | 'red', string> = { blue: '', red: '' };
let chaos: TestController;
let training: RunningTraining;
let labDb: pg.Pool;

type Answer = { status: number; type: string; body: Record<string, any> };
async function call(method: string, route: string, who: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${training.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token[who]}`,
      ...(method === 'POST' && { 'idempotency-key': randomUUID() }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text.startsWith('{') ? JSON.parse(text) : { text } };
}

beforeAll(async () => {
  for (const role of ['instructor', 'operator', 'agent'] as const) token[role] = ensureTokenFile(path.join(dir, `${role}-token`));
  const labDatabaseUrl = await createTestDatabase('lab');
  labDb = new pg.Pool({ connectionString: labDatabaseUrl, max: 2 });
  const shopDatabaseUrl = await createTestDatabase('shop');
  // A class's controller, as training's CLASS_SHOPS below: every fault a run injects names its team.
  chaos = await startTestController(dir, labDatabaseUrl, { classTeams: ['blue', 'red'] });
  const scenariosDir = path.join(dir, 'scenarios');
  const scenario = writeShortScenario(scenariosDir);
  // Lab 5 as the repo has it: a team's run of it starts (each team of a class has its own Redis);
  // and on-call with its whole pool, which Lab 5 is part of.
  const oncall = loadScenario(path.join(repoScenarios, 'oncall')).scenario;
  for (const id of ['oncall', ...(isOncall(oncall) ? oncall.oncall.pool : [])])
    cpSync(path.join(repoScenarios, id), path.join(scenariosDir, id), { recursive: true });
  // Nothing listens on port 1: the shops are away, so each run's gate holds it warming.
  const shop = (team: string) => ({
    api: 'http://127.0.0.1:1',
    payments: 'http://127.0.0.1:1',
    database: new URL(shopDatabaseUrl).pathname.slice(1),
    queuePrefix: uniqueName(`fd${team}`),
    redis: testRedisUrl(),
  });
  training = await startTraining(
    trainingConfigSchema.parse({
      PORT: '0',
      LAB_DATABASE_URL: labDatabaseUrl,
      SHOP_ADMIN_DATABASE_URL: shopDatabaseUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: uniqueName('fdreads'),
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      CHAOS_URL: chaos.url,
      SCENARIOS_DIR: scenariosDir,
      RUNS_DIR: path.join(dir, 'runs'),
      PROMETHEUS_URL: 'http://127.0.0.1:1',
      CLASS_SHOPS: JSON.stringify({ blue: shop('blue'), red: shop('red') }),
    }),
    { logger },
  );
  for (const [team, trainee] of [
    ['blue', 'bo'],
    ['red', 'rae'],
  ] as const) {
    await call('POST', '/api/teams', 'instructor', { name: team });
    const added = await call('POST', '/api/trainees', 'instructor', { name: trainee, team });
    expect(added.status).toBe(201);
    token[trainee] = added.body.token;
  }
  // Both teams' runs at once (a class has a shop per team); each team leaves something in its journal.
  for (const team of ['red', 'blue'] as const) {
    const run = await call('POST', '/api/runs', 'instructor', { scenario, team });
    expect(run.status).toBe(201);
    runOf[team] = run.body.id;
  }
  expect((await call('PUT', '/api/flags/api.payment-retries', 'rae', { value: 1 })).status).toBe(200);
  expect((await call('PUT', '/api/flags/api.payment-retries', 'bo', { value: 2 })).status).toBe(200);
  for (const team of ['red', 'blue'] as const) expect((await call('POST', `/api/runs/${runOf[team]}/stop`, 'instructor')).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await training?.close();
  await chaos?.close();
  await labDb?.end();
  rmSync(dir, { recursive: true, force: true });
  console.log(`team-reads.int.test.ts: ${((Date.now() - started) / 1000).toFixed(1)} s with its setup`);
});

/** Every GET that names a run, and what a trainee of another team gets: 404 for the run itself, 403 where the route already said "not your team's". */
const runRoutes: Array<{ route: (run: string) => string; otherTeam: number }> = [
  { route: (run) => `/api/runs/${run}`, otherTeam: 404 },
  { route: (run) => `/api/runs/${run}/events`, otherTeam: 404 },
  { route: (run) => `/api/runs/${run}/status`, otherTeam: 404 },
  { route: (run) => `/api/runs/${run}/report`, otherTeam: 403 },
  { route: (run) => `/api/runs/${run}/report?format=html`, otherTeam: 403 },
  { route: (run) => `/api/runs/${run}/pir/draft`, otherTeam: 403 },
];

/** Every GET that names a shop with `?team=`: another team's is 403 other_team to a trainee. */
const shopRoutes = ['/api/flags?team=red', '/api/flags/api.payment-retries?team=red', '/api/releases?team=red'];

describe("a class's trainee reads its own team's runs and shop, never another's", () => {
  for (const { route, otherTeam } of runRoutes) {
    it(`when ${route('{red run}')} is asked by blue's trainee, then ${otherTeam} problem+json; red's trainee, the operator and the instructor read it`, async () => {
      const refused = await call('GET', route(runOf.red), 'bo');
      expect(refused.status).toBe(otherTeam);
      expect(refused.type).toContain('application/problem+json');
      // The same answer as for a run that does not exist: nothing of red's run shows.
      if (otherTeam === 404) expect(refused.body.detail).toBe(`No run ${runOf.red}`);
      expect(JSON.stringify(refused.body)).not.toContain('"scenario"');
      for (const reader of ['rae', 'operator', 'instructor']) expect((await call('GET', route(runOf.red), reader)).status, reader).toBe(200);
      expect((await call('GET', route(runOf.blue), 'bo')).status).toBe(200);
    });
  }

  for (const route of shopRoutes) {
    it(`when ${route} is asked by blue's trainee, then 403 other_team; red's trainee and the instructor read red's shop`, async () => {
      const refused = await call('GET', route, 'bo');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('other_team');
      expect((await call('GET', route, 'rae')).status).toBe(200);
      expect((await call('GET', route, 'instructor')).status).toBe(200);
      expect((await call('GET', route.replace('team=red', 'team=blue'), 'bo')).status).toBe(200);
    });
  }

  it("when blue's trainee reads another team's flags, then it sees its own shop's value, never red's", async () => {
    expect((await call('GET', '/api/flags', 'bo')).body.flags['api.payment-retries']).toBe(2);
    expect((await call('GET', '/api/flags?team=red', 'instructor')).body.flags['api.payment-retries']).toBe(1);
  });

  it("when blue's trainee lists the runs, then only blue's is there; the operator and the instructor see both", async () => {
    expect((await call('GET', '/api/runs', 'bo')).body.runs.map((r: { id: string }) => r.id)).toEqual([runOf.blue]);
    for (const reader of ['operator', 'instructor'])
      expect((await call('GET', '/api/runs', reader)).body.runs.map((r: { id: string }) => r.id).sort()).toEqual([runOf.blue, runOf.red].sort());
  });

  it("when blue's trainee reads the journal, then no event is red's or of red's run; the operator's holds red's", async () => {
    const events = (await call('GET', '/api/events?limit=1000', 'bo')).body.events as Array<{ team: string | null; runId: string | null }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.team === 'red' || e.runId === runOf.red)).toEqual([]);
    expect(events.some((e) => e.team === 'blue' && e.runId === runOf.blue)).toBe(true);
    const operators = (await call('GET', '/api/events?limit=1000', 'operator')).body.events as Array<{ team: string | null; runId: string | null }>;
    expect(operators.some((e) => e.team === 'red' && e.runId === runOf.red)).toBe(true);
  });

  for (const route of ['/api/incident/status', '/api/incident/timeline', '/api/hints']) {
    it(`when each team's trainee asks ${route}, then it is its own team's latest run, though the other's is newer or older`, async () => {
      const blue = await call('GET', route, 'bo');
      const red = await call('GET', route, 'rae');
      expect([blue.status, red.status]).toEqual([200, 200]);
      expect([blue.body.runId, red.body.runId]).toEqual([runOf.blue, runOf.red]);
      if (route === '/api/incident/timeline') expect(blue.body.events.filter((e: { team: string | null }) => e.team === 'red')).toEqual([]);
    });
  }
});

describe("a class's run of Lab 5 (redis-memory-pressure) for one team", () => {
  it('when Lab 5 is started for blue, then the run is made for blue (each team has its own Redis to press), and it stops', async () => {
    const run = await call('POST', '/api/runs', 'instructor', { scenario: 'lab5-multi-component', team: 'blue' });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ scenario: 'lab5-multi-component', team: 'blue' });
    expect((await call('POST', `/api/runs/${run.body.id}/stop`, 'instructor')).status).toBe(200);
  });

  it('when on-call picks Lab 5 for blue (its seed does), then the run plays Lab 5 blind for blue, and it stops', async () => {
    const oncall = loadScenario(path.join(repoScenarios, 'oncall')).scenario;
    if (!isOncall(oncall)) throw new Error('scenarios/oncall is not an on-call scenario');
    const seed = Array.from({ length: 1000 }, (_, i) => i + 1).find((s) => pickFromPool(oncall, s) === 'lab5-multi-component');
    expect(seed).toBeDefined();
    const run = await call('POST', '/api/runs', 'instructor', { scenario: 'oncall', team: 'blue', seed });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ scenario: 'lab5-multi-component', team: 'blue', seed, blind: true });
    expect((await call('POST', `/api/runs/${run.body.id}/stop`, 'instructor')).status).toBe(200);
  });
});

describe("the instructor and the operator pick a team's incident with ?team=", () => {
  const live: Record<'blue' | 'red', string> = { blue: '', red: '' };
  beforeAll(async () => {
    // Two live runs, as the run service records them (no shop answers here, so none gets past its gate by
    // itself), newer than the stopped ones above; red's is the newest.
    for (const team of ['blue', 'red'] as const) {
      live[team] = `run-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      await labDb.query(
        `INSERT INTO training.runs (id, requested, scenario, title, seed, speed, blind, state, created_by, created_at, live_at, team, shop)
         VALUES ($1, 'test-short-release', 'test-short-release', 'A test', 1, 1, false, 'live', 'instructor', clock_timestamp(), clock_timestamp(), $2, $2)`,
        [live[team], team],
      );
    }
  });

  it("when the instructor declares for blue and notes for red, then each lands in that team's run; without a team, the newest run's", async () => {
    const declared = await call('POST', '/api/incident/declare?team=blue', 'instructor', { title: 'Checkout is slow', severity: 'P2' });
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({ runId: live.blue, team: 'blue', status: 'declared' });
    expect((await call('POST', '/api/incident/ack?team=red', 'operator')).body).toMatchObject({
      runId: live.red,
      team: 'red',
      acknowledged: { actor: 'operator' },
    });
    expect((await call('GET', '/api/incident/status?team=red', 'instructor')).body).toMatchObject({ runId: live.red, status: 'open', incident: null });
    expect((await call('GET', '/api/incident/status?team=blue', 'operator')).body).toMatchObject({ runId: live.blue, status: 'declared' });
    expect((await call('GET', '/api/incident/status', 'instructor')).body.runId).toBe(live.red);
    expect((await call('GET', '/api/hints?team=blue', 'instructor')).body.runId).toBe(live.blue);
    const timeline = (await call('GET', '/api/incident/timeline?team=blue', 'instructor')).body;
    expect(timeline.runId).toBe(live.blue);
    expect(timeline.events.map((e: { kind: string }) => e.kind)).toContain('incident.declared');
  });

  it("when blue's trainee names red, then 403 other_team and nothing is recorded; naming its own team acts as without", async () => {
    const before = (await call('GET', '/api/incident/timeline?team=red', 'instructor')).body.events.length;
    for (const [method, route] of [
      ['POST', '/api/incident/note?team=red'],
      ['POST', '/api/hints/next?team=red'],
      ['GET', '/api/incident/status?team=red'],
      ['GET', '/api/incident/timeline?team=red'],
      ['GET', '/api/hints?team=red'],
    ] as const) {
      const refused = await call(method, route, 'bo', method === 'POST' && route.includes('note') ? { text: 'peek' } : undefined);
      expect(refused.status, route).toBe(403);
      expect(refused.body.code).toBe('other_team');
    }
    expect((await call('GET', '/api/incident/timeline?team=red', 'instructor')).body.events.length).toBe(before);
    expect((await call('POST', '/api/incident/note?team=blue', 'bo', { text: 'p95 rose' })).body).toMatchObject({ runId: live.blue, team: 'blue' });
  });

  it("when the operator records a runbook step for red, then it is on red's timeline; blue's trainee cannot name red, and a team the class lacks is 400", async () => {
    const step = { runbook: 'latency-rollback', step: 'roll back', status: 'passed', output: 'rolled back' };
    const recorded = await call('POST', '/api/runbooks/steps', 'operator', { ...step, team: 'red' });
    expect(recorded.status).toBe(201);
    const stepEvents = async (reader: string) =>
      (
        (await call('GET', '/api/events?limit=1000', reader)).body.events as Array<{
          id: number;
          kind: string;
          team: string | null;
          runId: string | null;
          data: unknown;
        }>
      ).filter((e) => e.kind === 'runbook.step');
    const [red] = (await stepEvents('instructor')).filter((e) => e.id === recorded.body.id);
    // (Its run is the one the run service plays on red's shop: these runs are rows only, so none.)
    expect(red).toMatchObject({ team: 'red', data: step });
    expect((await stepEvents('bo')).map((e) => e.id)).not.toContain(recorded.body.id);

    const before = (await stepEvents('instructor')).length;
    const refused = await call('POST', '/api/runbooks/steps', 'bo', { ...step, team: 'red' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('other_team');
    for (const team of ['green', 'Red!']) {
      const bad = await call('POST', '/api/runbooks/steps', 'operator', { ...step, team });
      expect(bad.status, team).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['team']);
    }
    expect((await stepEvents('instructor')).length).toBe(before);
    // A trainee naming its own team, or none, records on its own team's timeline as before.
    expect((await call('POST', '/api/runbooks/steps', 'bo', { ...step, team: 'blue' })).status).toBe(201);
    expect((await stepEvents('instructor')).at(-1)).toMatchObject({ team: 'blue', actor: expect.stringContaining('bo') });
  });

  it('when a team is named badly or has no run, then 400 or 409 problem+json', async () => {
    const bad = await call('GET', '/api/incident/status?team=Blue!', 'instructor');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const none = await call('POST', '/api/incident/ack?team=green', 'instructor');
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: 'no_run_live', detail: expect.stringContaining('of team green') });
  });
});

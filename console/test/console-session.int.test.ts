/**
 * The console's sessions against the real training process (real Postgres and Redis; no shop, no
 * chaos controller: the one run started here fails as it starts, and is another team's). A token signs in through the training API's whoami;
 * the session cookie is HttpOnly and SameSite=Strict and the lab token never reaches the browser;
 * a session expires; a state change from another origin or without the CSRF token is refused; and a
 * trainee's session gets the training API's 403 on instructor routes, because the console forwards
 * the trainee's own token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import type { RunningTraining } from '@firedrill/training';
import { consoleConfigSchema, startConsole, type RunningConsole } from '../src/index.ts';
import { repoRoot } from './helpers/browser.ts';
import { browserRequests } from './helpers/browser-requests.ts';
import { startTrainingForConsole, type TrainingForConsole } from './helpers/training-for-console.ts';

const logger = createLogger('console-test', 'silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'console-session-'));
const ttlMs = 60_000;
let clock = Date.now();
let training: RunningTraining;
let consoleApp: RunningConsole;
let token: TrainingForConsole['tokens'];

beforeAll(async () => {
  // The repo's scenarios: a run can be started (without a chaos controller it fails as it starts, which is all the stream's refusal needs).
  ({ training, tokens: token } = await startTrainingForConsole(dir, { scenariosDir: path.join(repoRoot, 'scenarios') }));
  consoleApp = await startConsole(
    consoleConfigSchema.parse({ PORT: '0', TRAINING_URL: training.url, PROMETHEUS_URL: 'http://127.0.0.1:1', SESSION_TTL_MS: String(ttlMs), WEB_DIR: dir }),
    { logger, now: () => clock },
  );
}, 60_000);

afterAll(async () => {
  await consoleApp?.close();
  await training?.close();
  rmSync(dir, { recursive: true, force: true });
});

const requests = browserRequests(() => consoleApp.url);
const browser = requests.browser;
/** Signs in as one of the test's identities. */
const signIn = (as: keyof typeof token) => requests.signIn(token[as]);

describe('signing in', () => {
  it('when a trainee signs in, then the cookie is HttpOnly and SameSite=Strict, and the answer names the trainee but never holds the token', async () => {
    const { answer, cookie } = await signIn('trainee');
    expect(answer.cookie).toMatch(/^firedrill_console=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=60$/);
    expect(answer.body.caller).toEqual({ role: 'trainee', actor: 'trainee:grace', team: 'blue', trainee: 'grace' });
    expect(answer.text).not.toContain(token.trainee);
    const session = await browser('GET', '/console/session', { cookie });
    expect(session.status).toBe(200);
    expect(session.body.caller.trainee).toBe('grace');
    expect(session.text).not.toContain(token.trainee);
  });

  it('when the token is unknown, then sign-in is 401 problem+json and no cookie is set', async () => {
    const answer = await browser('POST', '/console/sign-in', { body: { token: 'not-a-lab-token' } });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('token_not_recognised');
    expect(answer.cookie).toBeNull();
  });

  it('when the agent token or a malformed body is sent, then sign-in is refused with 403 or 400, never 500', async () => {
    expect((await browser('POST', '/console/sign-in', { body: { token: token.agent } })).status).toBe(403);
    for (const body of [{}, { token: '' }, { token: 'x', extra: 1 }, { token: 'x'.repeat(201) }]) {
      const answer = await browser('POST', '/console/sign-in', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    }
  });

  it('when there is no session cookie, then the session and the API are 401', async () => {
    expect((await browser('GET', '/console/session')).body.code).toBe('not_signed_in');
    expect((await browser('GET', '/api/whoami')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('when a sign-in comes from another origin, or from another site by Sec-Fetch-Site, then it is 403 and no session is made', async () => {
    const before = consoleApp.sessions.size();
    const foreign = await browser('POST', '/console/sign-in', { origin: 'http://evil.example', body: { token: token.instructor } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('cross_site_request');
    const crossSite = await browser('POST', '/console/sign-in', { site: 'cross-site', body: { token: token.instructor } });
    expect(crossSite.body.code).toBe('cross_site_request');
    const noOrigin = await browser('POST', '/console/sign-in', { origin: null, body: { token: token.instructor } });
    expect(noOrigin.status).toBe(403);
    expect(consoleApp.sessions.size()).toBe(before);
  });

  it('when a signed-in state change lacks the CSRF token or comes from another origin, then it is refused and nothing changes', async () => {
    const { cookie, csrf } = await signIn('instructor');
    const noToken = await browser('POST', '/api/teams', { cookie, body: { name: 'red' } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe('csrf_token_missing');
    const wrongToken = await browser('POST', '/api/teams', { cookie, csrf: `${csrf}x`, body: { name: 'red' } });
    expect(wrongToken.body.code).toBe('csrf_token_missing');
    const foreign = await browser('POST', '/api/teams', { cookie, csrf, origin: 'http://evil.example', body: { name: 'red' } });
    expect(foreign.body.code).toBe('cross_site_request');
    const teams = await browser('GET', '/api/teams', { cookie });
    expect(teams.body.teams.map((t: { name: string }) => t.name)).toEqual(['blue']);

    const made = await browser('POST', '/api/teams', { cookie, csrf, body: { name: 'red' } });
    expect(made.status, made.text).toBe(201);
    expect((await browser('GET', '/api/teams', { cookie })).body.teams.map((t: { name: string }) => t.name)).toEqual(['blue', 'red']);
  });
});

describe('acting as the signed-in person', () => {
  it("when a trainee's session calls instructor routes through the console, then the training API answers 403, and whoami is the trainee", async () => {
    const { cookie, csrf } = await signIn('trainee');
    expect((await browser('GET', '/api/whoami', { cookie })).body).toMatchObject({ role: 'trainee', trainee: 'grace' });
    for (const [method, route, body] of [
      ['GET', '/api/teams', undefined],
      ['GET', '/api/trainees', undefined],
      ['POST', '/api/teams', { name: 'green' }],
      ['POST', '/api/runs', { scenario: 'lab1-high-latency' }],
    ] as const) {
      const answer = await browser(method, route, { cookie, csrf, ...(body && { body }) });
      expect(answer.status, `${method} ${route}`).toBe(403);
      expect(answer.body.code).toBe('forbidden');
    }
  });

  it('when the instructor signs in, then the same routes answer', async () => {
    const { cookie } = await signIn('instructor');
    expect((await browser('GET', '/api/trainees', { cookie })).body.trainees).toEqual([expect.objectContaining({ name: 'grace', team: 'blue' })]);
  });
});

describe("the incident panel's calls", () => {
  it('when a trainee asks for the incident vocabulary, then the templates, severities, roles and categories come through the console', async () => {
    const { cookie } = await signIn('trainee');
    const answer = await browser('GET', '/api/incident/templates', { cookie });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.severities).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(answer.body.roles).toEqual(['ic', 'ops', 'comms', 'scribe']);
    expect(answer.body.causeCategories).toContain('bad-release');
    expect(answer.body.updateTemplates.map((t: { kind: string }) => t.kind)).toEqual(['ack', 'update', 'resolution']);
    expect(answer.body.updateTemplates[0].text).toContain('Next update: in <15> minutes.');
  });

  it("when an incident command is sent, then its Idempotency-Key reaches the training API (without one it is 400, with one the run's absence is the answer)", async () => {
    const { cookie, csrf } = await signIn('trainee');
    const keyless = await browser('POST', '/api/incident/ack', { cookie, csrf });
    expect(keyless.status).toBe(400);
    expect(keyless.body.code).toBe('idempotency_key_required');
    const keyed = await browser('POST', '/api/incident/ack', { cookie, csrf, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(keyed.status, keyed.text).toBe(409);
    expect(keyed.body.code).toBe('no_run_live');
  });
});

describe('the end of a session', () => {
  it('when the session is older than its lifetime, then it is 401 session_expired and the API is closed to it', async () => {
    const { cookie } = await signIn('instructor');
    expect((await browser('GET', '/console/session', { cookie })).status).toBe(200);
    clock += ttlMs + 1;
    const expired = await browser('GET', '/console/session', { cookie });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('session_expired');
    expect((await browser('GET', '/api/whoami', { cookie })).status).toBe(401);
  });

  it('when a person signs out, then the cookie is cleared and the session no longer opens anything', async () => {
    const { cookie, csrf } = await signIn('trainee');
    const out = await browser('POST', '/console/sign-out', { cookie, csrf });
    expect(out.status).toBe(204);
    expect(out.cookie).toContain('Max-Age=0');
    expect((await browser('GET', '/console/session', { cookie })).status).toBe(401);
  });
});

describe('the page', () => {
  it('when the page was not built, then / is a 503 problem saying how to build it, with a strict CSP', async () => {
    const response = await fetch(`${consoleApp.url}/`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { code: string }).code).toBe('page_not_built');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('the run event stream', () => {
  it('when the run does not exist, then the stream says so in a problem event and ends; a malformed run id is a 400 problem', async () => {
    const { cookie } = await signIn('trainee');
    const unknown = await browser('GET', '/console/runs/run-000000000000/stream', { cookie });
    expect(unknown.status).toBe(200);
    const problem = /^event: problem\ndata: (.*)$/m.exec(unknown.text);
    expect(problem, unknown.text).not.toBeNull();
    expect(JSON.parse(problem![1]!)).toMatchObject({ status: 404 });
    expect(unknown.text).not.toContain('event: run-status');

    const malformed = await browser('GET', `/console/runs/${encodeURIComponent('no such id!')}/stream`, { cookie });
    expect(malformed.status).toBe(400);
    expect(malformed.body.status).toBe(400);
  });

  it("when a trainee asks for another team's run, then the stream ends in the same 404 problem as for no run, with nothing of the run; the instructor reads it", async () => {
    const instructor = await signIn('instructor');
    const teal = await browser('POST', '/api/teams', { cookie: instructor.cookie, csrf: instructor.csrf, body: { name: 'teal' } });
    expect(teal.status, JSON.stringify(teal.body)).toBe(201);
    const started = await browser('POST', '/api/runs', {
      cookie: instructor.cookie,
      csrf: instructor.csrf,
      body: { scenario: 'lab1-high-latency', team: 'teal' },
    });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    const { cookie } = await signIn('trainee');
    const stream = await browser('GET', `/console/runs/${runId}/stream`, { cookie });
    const problem = /^event: problem\ndata: (.*)$/m.exec(stream.text);
    expect(problem, stream.text).not.toBeNull();
    expect(JSON.parse(problem![1]!)).toMatchObject({ status: 404, detail: `No run ${runId}` });
    expect(stream.text).not.toContain('event: run-status');
    expect(stream.text).not.toContain('lab1-high-latency');
    expect((await browser('GET', `/api/runs/${runId}`, { cookie })).status).toBe(404);
    expect((await browser('GET', `/api/runs/${runId}`, { cookie: instructor.cookie })).body).toMatchObject({ id: runId, team: 'teal' });
  });
});

describe("the chart route's window", () => {
  it('when a debrief asks for a span, then from/to are checked (400 problem) before Prometheus is asked', async () => {
    const { cookie } = await signIn('instructor');
    for (const query of [
      'from=100',
      'to=200',
      'from=200&to=100',
      'from=100&to=100',
      'from=0&to=90000',
      'minutes=5&from=100&to=200',
      'from=x&to=y',
      'since=1',
    ]) {
      const answer = await browser('GET', `/console/charts/request-rate?${query}`, { cookie });
      expect([answer.status, answer.body.code], query).toEqual([400, 'validation_failed']);
    }
    // A good span goes on to Prometheus (none listens here: 503, not a refusal of the window).
    const good = await browser('GET', '/console/charts/request-rate?from=1764400000&to=1764400900', { cookie });
    expect([good.status, good.body.code]).toEqual([503, 'dependency_unavailable']);
  });
});

/**
 * The console's chaos proxy (/chaos/api/* → the chaos controller's /api/*) against a real chaos
 * controller and the real training process on one lab database, as in the lab. Only an instructor's
 * session reaches the controller, with the instructor's own token: a trainee's session is answered
 * 403 by the console and the controller never sees the request (its request counter does not move,
 * and nothing is journalled); a cross-site request or one without the CSRF token changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { consoleConfigSchema, startConsole, type RunningConsole } from '../src/index.ts';
import { browserRequests } from './helpers/browser-requests.ts';
import type { TestController } from '@firedrill/chaos/testing';
import { startTrainingForConsole, type TrainingForConsole } from './helpers/training-for-console.ts';

const logger = createLogger('console-chaos-test', 'silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'console-chaos-'));
let lab: TrainingForConsole;
let chaos: TestController;
let consoleApp: RunningConsole;
const { browser, signIn } = browserRequests(() => consoleApp.url);

beforeAll(async () => {
  lab = await startTrainingForConsole(dir, { withChaos: true });
  chaos = lab.chaos!;
  consoleApp = await startConsole(
    consoleConfigSchema.parse({ PORT: '0', TRAINING_URL: lab.training.url, PROMETHEUS_URL: 'http://127.0.0.1:1', CHAOS_URL: chaos.url, WEB_DIR: dir }),
    { logger },
  );
}, 60_000);

afterAll(async () => {
  await consoleApp?.close();
  await lab?.training.close();
  await chaos?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Straight to the controller with the instructor's token (the test's own view of it). */
async function controller(method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${chaos.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${lab.tokens.instructor}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return response.json();
}

/** Requests the controller has answered on its /api routes (its own request counter). */
async function controllerApiRequests(): Promise<number> {
  const text = await (await fetch(`${chaos.url}/metrics`, { headers: { authorization: `Bearer ${lab.tokens.instructor}` } })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('http_requests_total{') && !line.includes('route="/metrics"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('the chaos proxy', () => {
  it("when a trainee's session calls it, then the console answers 403 and the controller is never asked", async () => {
    const fault = await controller('POST', '/api/faults', { family: 'errors', target: 'api', rate: 0.2, for: '5m' });
    const before = await controllerApiRequests();
    const trainee = await signIn(lab.tokens.trainee);
    for (const [method, route, body] of [
      ['GET', '/chaos/api/catalogue', undefined],
      ['GET', '/chaos/api/faults', undefined],
      ['POST', '/chaos/api/halt', undefined],
      ['POST', '/chaos/api/faults', { family: 'errors', target: 'payments', for: '1m' }],
      ['DELETE', `/chaos/api/faults/${fault.id}`, undefined],
    ] as const) {
      const answer = await browser(method, route, { ...trainee, body });
      expect(answer.status, `${method} ${route}`).toBe(403);
      expect(answer.body.code).toBe('forbidden');
      expect(answer.text).not.toContain(fault.id);
    }
    expect(await controllerApiRequests()).toBe(before);
    // Nothing journalled as a trainee's attempt (the controller journals those it refuses), and the fault stands.
    const journal = (await controller('GET', '/api/journal')).entries as Array<{ actor: string }>;
    expect(journal.map((e) => e.actor)).not.toContain('trainee:grace');
    expect((await controller('GET', '/api/faults')).faults.map((f: { id: string }) => f.id)).toEqual([fault.id]);
    await controller('POST', '/api/halt');
  });

  it("when the instructor's session calls it, then the catalogue reads and a fault is injected, listed and cleared in the instructor's name", async () => {
    const instructor = await signIn(lab.tokens.instructor);
    const catalogue = await browser('GET', '/chaos/api/catalogue', instructor);
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.families.map((f: { family: string }) => f.family)).toEqual(expect.arrayContaining(['latency', 'errors', 'worker-death']));
    expect(catalogue.body.defaultDuration).toBe('10m');

    const injected = await browser('POST', '/chaos/api/faults', { ...instructor, body: { family: 'errors', target: 'payments', rate: 0.3, for: '2m' } });
    expect(injected.status, injected.text).toBe(201);
    expect(injected.body).toMatchObject({ family: 'errors', target: 'payments', rate: 0.3 });
    const listed = await browser('GET', '/chaos/api/faults', instructor);
    expect(listed.body.faults.map((f: { id: string }) => f.id)).toEqual([injected.body.id]);
    const cleared = await browser('DELETE', `/chaos/api/faults/${injected.body.id}`, instructor);
    expect(cleared.body).toMatchObject({ id: injected.body.id, cleared: true });
    const journal = (await browser('GET', '/chaos/api/journal', instructor)).body.entries as Array<{ actor: string; action: string; faultId: string }>;
    // The journal names the signed-in instructor (the console sets it from the session).
    const whoami = (await browser('GET', '/console/session', instructor)).body.caller.actor as string;
    expect(journal.filter((e) => e.faultId === injected.body.id && ['inject', 'clear'].includes(e.action)).map((e) => [e.action, e.actor])).toEqual([
      ['clear', whoami],
      ['inject', whoami],
    ]);
    expect(injected.text).not.toContain(lab.tokens.instructor);
  });

  it('when a state change comes from another site or without the CSRF token, then it is refused and no fault is cleared', async () => {
    const instructor = await signIn(lab.tokens.instructor);
    const fault = await controller('POST', '/api/faults', { family: 'errors', target: 'api', for: '5m' });
    const crossSite = await browser('POST', '/chaos/api/halt', { ...instructor, origin: 'http://evil.example' });
    expect([crossSite.status, crossSite.body.code]).toEqual([403, 'cross_site_request']);
    const bySite = await browser('POST', '/chaos/api/halt', { ...instructor, site: 'cross-site' });
    expect([bySite.status, bySite.body.code]).toEqual([403, 'cross_site_request']);
    const noCsrf = await browser('POST', '/chaos/api/halt', { cookie: instructor.cookie });
    expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'csrf_token_missing']);
    expect((await controller('GET', '/api/faults')).faults.map((f: { id: string }) => f.id)).toEqual([fault.id]);

    const halted = await browser('POST', '/chaos/api/halt', instructor);
    expect([halted.status, halted.body.cleared]).toEqual([200, 1]);
    expect((await controller('GET', '/api/faults')).faults).toEqual([]);
  });

  it('when no one is signed in, or a route the page does not use is asked for, then 401 or 404, and bad input is a 4xx problem', async () => {
    expect((await browser('GET', '/chaos/api/catalogue')).status).toBe(401);
    const instructor = await signIn(lab.tokens.instructor);
    const agentRoute = await browser('GET', '/chaos/api/agent/faults?service=api', instructor);
    expect([agentRoute.status, agentRoute.body.code]).toEqual([404, 'not_found']);
    const bad = await browser('POST', '/chaos/api/faults', { ...instructor, body: { family: 'errors', target: 'nowhere', for: '99h' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@firedrill/lab-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../config/lab-config.ts';
import { controlClient, type ControlError } from './control-client.ts';
import { startControlServer } from './control-server.ts';
import { Supervisor } from './supervisor.ts';
import { ensureSupervisorToken } from './supervisor-token.ts';

describe("the supervisor's control API and its token", () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'control-token-'));
  const config = loadLabConfig({ LAB_STATE_DIR: stateDir });
  let server: Server;
  let port: number;
  let shutdowns = 0;

  beforeAll(async () => {
    port = await freePort();
    // No processes: the token check comes before any route, and /status of nothing is an empty list.
    server = await startControlServer(new Supervisor(config, [], () => {}), port, ensureSupervisorToken(config), () => void shutdowns++);
  });
  afterAll(() => {
    server.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('when a request carries no token or a wrong one, then every route that changes something answers 401 problem+json and nothing is shut down', async () => {
    const answers = await Promise.all(
      [
        { method: 'POST', route: '/shutdown' },
        { method: 'POST', route: '/restart/api' },
        { method: 'POST', route: '/deploy/api' },
        { method: 'POST', route: '/scale/worker' },
        { method: 'POST', route: '/restart/api', authorization: 'Bearer wrong-token-of-any-length' },
        { method: 'POST', route: '/shutdown', authorization: 'Basic cG9zdGdyZXM6cG9zdGdyZXM=' },
      ].map(async ({ method, route, authorization }) => {
        const response = await fetch(`http://127.0.0.1:${port}${route}`, { method, headers: authorization ? { authorization } : {} });
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          challenge: response.headers.get('www-authenticate'),
          body: await response.json(),
        };
      }),
    );
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 401,
        type: 'application/problem+json',
        challenge: expect.stringMatching(/^Bearer/),
        body: { code: 'unauthorized' },
      });
    }
    expect(shutdowns).toBe(0);
  });

  it('when the status is read without a token, then it answers (what ps and ss show anyway), so `lab status` works on the lab box', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/status`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ services: [] });
  });

  it("when the lab CLI's client calls, then it sends the state dir's token and gets its answer", async () => {
    const client = controlClient({ controlPort: port }, config);
    expect(await client.status()).toMatchObject({ supervisor: { pid: process.pid }, services: [] });
    await expect(client.restart('nothing-such')).rejects.toMatchObject({ status: 404 } satisfies Partial<ControlError>);
  });

  it('when the client runs from a state dir without the token, then it says so instead of calling', async () => {
    const elsewhere = loadLabConfig({ LAB_STATE_DIR: path.join(stateDir, 'not-a-lab') });
    await expect(controlClient({ controlPort: port }, elsewhere).restart('api')).rejects.toThrow(/supervisor's token .* does not exist/);
  });
});

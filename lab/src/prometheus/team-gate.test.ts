import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { basicAuthorization } from '@firedrill/kit';
import { freePort } from '@firedrill/lab-infra';
import { startTeamGates } from './team-gate.ts';

// The gate must compare tokens with the kit's constant-time tokensMatch: watched, not replaced.
const { tokensMatchCalls } = vi.hoisted(() => ({ tokensMatchCalls: [] as Array<[string, string]> }));
vi.mock('@firedrill/kit', async (importOriginal) => {
  const kit = await importOriginal<typeof import('@firedrill/kit')>();
  return {
    ...kit,
    tokensMatch: (presented: string, expected: string) => {
      tokensMatchCalls.push([presented, expected]);
      return kit.tokensMatch(presented, expected);
    },
  };
});

/** Stand-ins for two teams' prom-label-proxies: each records what reached it and says whose it is. */
type Seen = { team: string; method: string | undefined; url: string | undefined; authorization: string | undefined; body: string };
const seen: Seen[] = [];
const servers: http.Server[] = [];
const tokens = { blue: 'b'.repeat(43), green: 'g'.repeat(43) };
const credentials = { username: 'firedrill', password: 'lab-secret' };
let gate: { blue: string; green: string };
let closedUpstreamGate: string;

async function labelProxyStandIn(team: string): Promise<string> {
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ team, method: req.method, url: req.url, authorization: req.headers.authorization, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', team }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const [bluePort, greenPort, lonelyPort, closedPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  servers.push(
    ...(await startTeamGates({
      host: '127.0.0.1',
      credentials,
      gates: [
        { team: 'blue', port: bluePort, upstream: await labelProxyStandIn('blue'), token: tokens.blue },
        { team: 'green', port: greenPort, upstream: await labelProxyStandIn('green'), token: tokens.green },
        // A gate whose label proxy is down.
        { team: 'red', port: lonelyPort, upstream: `http://127.0.0.1:${closedPort}`, token: 'r'.repeat(43) },
      ],
    })),
  );
  gate = { blue: `http://127.0.0.1:${bluePort}`, green: `http://127.0.0.1:${greenPort}` };
  closedUpstreamGate = `http://127.0.0.1:${lonelyPort}`;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});
beforeEach(() => {
  seen.length = 0;
  tokensMatchCalls.length = 0;
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("every team's gate to Prometheus, in one process", () => {
  it('when asked without a token, then every path of every gate answers 401 problem+json with WWW-Authenticate, and nothing is forwarded', async () => {
    for (const base of [gate.blue, gate.green]) {
      for (const [method, path] of [
        ['GET', '/api/v1/query?query=up'],
        ['POST', '/api/v1/query'],
        ['GET', '/-/healthy'],
        ['GET', '/federate?match[]=up'],
        ['GET', '/'],
      ] as const) {
        const answer = await fetch(`${base}${path}`, { method });
        expect(answer.status, `${method} ${base}${path}`).toBe(401);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="team (blue|green) prometheus"$/);
        expect(await answer.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      }
    }
    expect(seen).toEqual([]);
  });

  it("when blue's token is sent to green's gate (or green's to blue's), then it is 401 like no token: a team's token opens its own gate only", async () => {
    expect((await fetch(`${gate.green}/api/v1/query?query=up`, { headers: bearer(tokens.blue) })).status).toBe(401);
    expect((await fetch(`${gate.blue}/api/v1/query?query=up`, { headers: bearer(tokens.green) })).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it("when the token comes another way (the lab's credentials, another team's token as basic auth's password, a wrong bearer, a bare token), then it is 401", async () => {
    for (const authorization of [
      basicAuthorization(credentials),
      basicAuthorization({ username: 'blue', password: tokens.green }),
      `Bearer ${tokens.blue}x`,
      tokens.blue,
      'Bearer ',
    ]) {
      expect((await fetch(`${gate.blue}/api/v1/query?query=up`, { headers: { authorization } })).status, authorization).toBe(401);
    }
    expect(seen).toEqual([]);
  });

  it("when blue's token comes to blue's gate, then the request reaches blue's label proxy as it was sent, with the lab's credentials in place of the token", async () => {
    const answer = await fetch(`${gate.blue}/api/v1/query_range?query=up&step=15`, {
      method: 'POST',
      headers: { ...bearer(tokens.blue), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=rate(http_requests_total[1m])',
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'success', team: 'blue' });
    expect(seen).toEqual([
      {
        team: 'blue',
        method: 'POST',
        url: '/api/v1/query_range?query=up&step=15',
        authorization: basicAuthorization(credentials),
        body: 'query=rate(http_requests_total[1m])',
      },
    ]);
    const green = await fetch(`${gate.green}/api/v1/query?query=up`, { headers: bearer(tokens.green) });
    expect(await green.json()).toEqual({ status: 'success', team: 'green' });
  });

  it("when blue's token comes as basic auth's password (curl with blue:<token>@ in the URL, as a trainee's runbook does), then blue's gate takes it as the bearer token and forwards with the lab's credentials", async () => {
    const answer = await fetch(`${gate.blue}/api/v1/query?query=up`, {
      headers: { authorization: basicAuthorization({ username: 'blue', password: tokens.blue }) },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'success', team: 'blue' });
    expect(seen.at(-1)?.authorization).toBe(basicAuthorization(credentials));
    const atGreen = await fetch(`${gate.green}/api/v1/query?query=up`, {
      headers: { authorization: basicAuthorization({ username: 'blue', password: tokens.blue }) },
    });
    expect(atGreen.status).toBe(401);
  });

  it("when a token is checked, then it goes through the kit's constant-time tokensMatch against that gate's own token", async () => {
    await fetch(`${gate.green}/api/v1/query?query=up`, { headers: bearer(tokens.blue) });
    await fetch(`${gate.blue}/api/v1/query?query=up`, { headers: bearer(tokens.blue) });
    expect(tokensMatchCalls).toEqual([
      [tokens.blue, tokens.green],
      [tokens.blue, tokens.blue],
    ]);
  });

  it("when the team's label proxy cannot be reached, then an authorised caller gets 502 problem+json naming the team", async () => {
    const answer = await fetch(`${closedUpstreamGate}/api/v1/query?query=up`, { headers: bearer('r'.repeat(43)) });
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/team red's prom-label-proxy/);
  });

  it('when one gate cannot listen (its port is taken), then none is left running', async () => {
    const taken = await freePort();
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
    const free = await freePort();
    try {
      await expect(
        startTeamGates({
          host: '127.0.0.1',
          credentials,
          gates: [
            { team: 'blue', port: free, upstream: 'http://127.0.0.1:1', token: tokens.blue },
            { team: 'green', port: taken, upstream: 'http://127.0.0.1:1', token: tokens.green },
          ],
        }),
      ).rejects.toThrow(/EADDRINUSE/);
      await expect(fetch(`http://127.0.0.1:${free}/`)).rejects.toThrow();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

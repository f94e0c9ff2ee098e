import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BasicCredentials, basicAuthorization, ensureBasicCredentialsFile, ensureTokenFile, prometheusClient } from '@firedrill/kit';
import { freePort, startManagedProcess, waitFor, type ManagedProcess } from '@firedrill/lab-infra';
import { renderPrometheusConfig } from '../src/prometheus/prometheus-config.ts';
import { startTeamGates } from '../src/prometheus/team-gate.ts';
import { renderWebConfig } from '../src/prometheus/web-config.ts';
import { requireBinary } from '../src/topology/require-binary.ts';

/**
 * The real parts of the lab's Prometheus boundary, small: Prometheus and Alertmanager with the
 * lab's --web.config.file, Prometheus scraping three fake targets (team blue's shop, team other's
 * shop, a chaos controller with a fault metric and no team label) with the lab's config renderer,
 * a prom-label-proxy per team (team="blue", team="other") with the lab's flags, and the lab's
 * gates in front of them: one server process, a port and a token per team.
 */
const started = Date.now();
let dir: string;
let credentials: BasicCredentials;
let prometheusUrl: string;
let alertmanagerUrl: string;
let labelProxyUrl: string;
let gateUrl: string;
let otherGateUrl: string;
let tokens: { blue: string; other: string };
const processes: ManagedProcess[] = [];
const closers: Array<() => unknown> = [];

/** A /metrics endpoint answering fixed exposition text. */
async function metricsTarget(text: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(text));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

function start(name: string, args: string[], logSuffix = ''): void {
  processes.push(startManagedProcess({ name, command: requireBinary(name), args, logFile: path.join(dir, `${name}${logSuffix}.log`) }));
}

const query = (base: string, expr: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`, { headers, signal: AbortSignal.timeout(5_000) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-promauth-'));
  credentials = ensureBasicCredentialsFile(path.join(dir, 'secrets', 'prometheus-credentials'), 'firedrill');
  tokens = {
    blue: ensureTokenFile(path.join(dir, 'secrets', 'team-prometheus-blue-token')),
    other: ensureTokenFile(path.join(dir, 'secrets', 'team-prometheus-other-token')),
  };
  const passwordFile = path.join(dir, 'secrets', 'prometheus-password');
  writeFileSync(passwordFile, credentials.password, { mode: 0o600 });
  const webConfig = path.join(dir, 'web.yml');
  writeFileSync(webConfig, renderWebConfig(credentials), { mode: 0o600 });

  const blue = await metricsTarget('http_requests_total{service="api"} 5\n');
  const other = await metricsTarget('http_requests_total{service="api"} 7\n');
  // As the controller writes them: a fault for blue's shop (fault_team, never team) and a single lab's (fault_team empty).
  const chaos = await metricsTarget(
    'chaos_fault_active{family="latency",target="api",mode="none",fault_team="blue"} 1\n' +
      'chaos_fault_active{family="errors",target="payments",mode="none",fault_team=""} 1\n',
  );
  const [promPort, amPort, proxyPort, gatePort, otherProxyPort, otherGatePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  prometheusUrl = `http://127.0.0.1:${promPort}`;
  alertmanagerUrl = `http://127.0.0.1:${amPort}`;
  labelProxyUrl = `http://127.0.0.1:${proxyPort}`;
  gateUrl = `http://127.0.0.1:${gatePort}`;
  otherGateUrl = `http://127.0.0.1:${otherGatePort}`;
  writeFileSync(path.join(dir, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  start('prometheus-alertmanager', [
    `--config.file=${path.join(dir, 'am.yml')}`,
    `--storage.path=${path.join(dir, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
    `--web.config.file=${webConfig}`,
  ]);
  const basicAuth = { username: credentials.username, passwordFile };
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    renderPrometheusConfig({
      rulesDir: path.join(dir, 'no-rules'), // every *.yml in it would be read as rules
      intervalSeconds: 1,
      alertmanagerPort: amPort,
      alertmanagerBasicAuth: basicAuth,
      targets: [
        { job: 'api', port: blue, metricsPath: '/metrics', labels: { team: 'blue' } },
        { job: 'api-other', port: other, metricsPath: '/metrics', labels: { team: 'other' } },
        { job: 'chaos', port: chaos, metricsPath: '/metrics' },
        { job: 'prometheus', port: promPort, metricsPath: '/metrics', basicAuth },
      ],
    }),
  );
  start('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    `--web.config.file=${webConfig}`,
  ]);
  for (const [team, port] of [
    ['blue', proxyPort],
    ['other', otherProxyPort],
  ] as const) {
    start(
      'prom-label-proxy',
      ['-insecure-listen-address', `127.0.0.1:${port}`, '-upstream', prometheusUrl, '-label', 'team', '-label-value', team, '-error-on-replace'],
      team,
    );
  }
  const gates = await startTeamGates({
    host: '127.0.0.1',
    credentials,
    gates: [
      { team: 'blue', port: gatePort, upstream: labelProxyUrl, token: tokens.blue },
      { team: 'other', port: otherGatePort, upstream: `http://127.0.0.1:${otherProxyPort}`, token: tokens.other },
    ],
  });
  for (const gate of gates) closers.push(() => new Promise((resolve) => gate.close(resolve)));
  const auth = { authorization: basicAuthorization(credentials) };
  // Every target scraped once (the shop's and the chaos controller's series exist in Prometheus).
  await waitFor(
    'the three targets scraped',
    async () => {
      const body = (await (
        await query(prometheusUrl, 'count(up{job=~"api|api-other|chaos"} == 1)', auth).catch(() => undefined)
      )
        ?.json()
        .catch(() => undefined)) as { data?: { result: Array<{ value: [number, string] }> } } | undefined;
      return body?.data?.result[0]?.value[1] === '3';
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop(5_000)));
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`prometheus-team-path took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe('Prometheus and Alertmanager behind basic auth', () => {
  it('when asked without credentials or with a wrong password, then Prometheus and Alertmanager answer 401; with the lab’s credentials, 200', async () => {
    const wrong = { authorization: basicAuthorization({ ...credentials, password: 'guess' }) };
    const right = { authorization: basicAuthorization(credentials) };
    for (const url of [
      `${prometheusUrl}/api/v1/query?query=up`,
      `${prometheusUrl}/-/ready`,
      `${alertmanagerUrl}/api/v2/status`,
      `${alertmanagerUrl}/-/ready`,
    ]) {
      expect((await fetch(url)).status, url).toBe(401);
      expect((await fetch(url, { headers: wrong })).status, url).toBe(401);
      expect((await fetch(url, { headers: right })).status, url).toBe(200);
    }
  });

  it('when Prometheus scrapes itself and sends alerts, then it does so with the credentials (its own target is up, Alertmanager is discovered)', async () => {
    const client = prometheusClient({ url: prometheusUrl, credentials });
    await waitFor(
      'prometheus self-scrape up',
      async () => {
        const body = (await (await client.fetch('/api/v1/query?query=up{job="prometheus"}')).json()) as {
          data: { result: Array<{ value: [number, string] }> };
        };
        return body.data.result[0]?.value[1] === '1';
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const ams = (await (await client.fetch('/api/v1/alertmanagers')).json()) as { data: { activeAlertmanagers: unknown[] } };
    expect(ams.data.activeAlertmanagers).toHaveLength(1);
  });
});

describe("a team's way to Prometheus: the gate wanting the team's token, then prom-label-proxy enforcing team=blue", () => {
  type Vector = { status: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  const asBlue = () => ({ authorization: `Bearer ${tokens.blue}` });
  const viaGate = async (expr: string) => {
    const response = await query(gateUrl, expr, asBlue());
    return { status: response.status, body: (await response.json()) as Vector };
  };

  it("when a caller sends no token, or blue's token to team other's gate, then it is 401 (problem+json, WWW-Authenticate) on every path", async () => {
    for (const [url, headers] of [
      [`${gateUrl}/api/v1/query?query=up`, {}],
      [`${gateUrl}/-/healthy`, {}],
      [`${otherGateUrl}/api/v1/query?query=up`, {}],
      [`${otherGateUrl}/api/v1/query?query=up`, asBlue()],
      [`${otherGateUrl}/api/v1/series?match[]=http_requests_total`, asBlue()],
      [`${gateUrl}/api/v1/query?query=up`, { authorization: `Bearer ${tokens.other}` }],
    ] as const) {
      const answer = await fetch(url, { headers });
      expect(answer.status, url).toBe(401);
      expect(answer.headers.get('content-type'), url).toBe('application/problem+json');
      expect(answer.headers.get('www-authenticate'), url).toMatch(/^Bearer /);
    }
  });

  it("when a trainee asks for a shop metric with its team's token, then only team blue's series come back (and team other's token, other's only)", async () => {
    const { status, body } = await viaGate('http_requests_total');
    expect(status).toBe(200);
    expect(body.data?.result.map((r) => [r.metric.team, r.value[1]])).toEqual([['blue', '5']]);
    const other = (await (await query(otherGateUrl, 'http_requests_total', { authorization: `Bearer ${tokens.other}` })).json()) as Vector;
    expect(other.data?.result.map((r) => [r.metric.team, r.value[1]])).toEqual([['other', '7']]);
  });

  it("when the instructor asks Prometheus itself, then a class's fault names its team in fault_team and a single lab's has no such label", async () => {
    const answer = (await (await query(prometheusUrl, 'chaos_fault_active', { authorization: basicAuthorization(credentials) })).json()) as Vector;
    expect(answer.data?.result.map((r) => [r.metric.family, r.metric.fault_team ?? null, r.metric.team ?? null]).sort()).toEqual([
      ['errors', null, null],
      ['latency', 'blue', null],
    ]);
  });

  it('when a trainee asks for a fault metric, even one of a fault on its own team’s shop, then nothing comes back (the chaos controller’s series carry no team label)', async () => {
    for (const expr of ['chaos_fault_active', '{__name__=~"chaos_.+"}', 'up{job="chaos"}', 'sum(chaos_fault_active) or vector(0)']) {
      const { status, body } = await viaGate(expr);
      expect(status, expr).toBe(200);
      const series = body.data?.result.filter((r) => r.metric.__name__ !== undefined || r.metric.job !== undefined) ?? [];
      expect(series, expr).toEqual([]);
    }
    // and the vector(0) fallback is the only answer: no fault's value leaks through an aggregation
    expect((await viaGate('sum(chaos_fault_active) or vector(0)')).body.data?.result.map((r) => r.value[1])).toEqual(['0']);
  });

  it('when a trainee names another team in the query, then it is refused (400) or answered for team blue only: never team other', async () => {
    // An equality naming another team is refused outright (-error-on-replace) …
    expect((await viaGate('http_requests_total{team="other"}')).status).toBe(400);
    // … and whatever else a query says about the team label, the proxy's own team="blue" matcher holds.
    for (const expr of [
      'http_requests_total{team=~".+"}',
      'http_requests_total{team!="blue"}',
      'http_requests_total{team=~"other|blue"}',
      'sum by (team) (http_requests_total)',
    ]) {
      const { status, body } = await viaGate(expr);
      expect([200, 400], expr).toContain(status);
      expect(body.data?.result.map((r) => r.value[1]).filter((v) => v !== '5') ?? [], expr).toEqual([]);
    }
  });

  it('when someone skips the gate and asks prom-label-proxy directly, then Prometheus refuses (401): the credentials exist only on the enforced path', async () => {
    expect((await query(labelProxyUrl, 'http_requests_total')).status).toBe(401);
  });

  it("when a trainee's runbook sends the team's token as basic auth's password (curl with team:token@ in the URL), then the gate takes it like the bearer token; another team's token that way is 401", async () => {
    const blueBasic = { authorization: basicAuthorization({ username: 'blue', password: tokens.blue }) };
    const answer = await query(gateUrl, 'http_requests_total', blueBasic);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { result: Array<{ metric: Record<string, string> }> } }).data.result.map((r) => r.metric.team)).toEqual(['blue']);
    expect((await query(otherGateUrl, 'http_requests_total', blueBasic)).status).toBe(401);
    expect((await query(gateUrl, 'http_requests_total', { authorization: basicAuthorization({ username: 'blue', password: tokens.other }) })).status).toBe(401);
  });

  it("when a caller sends the lab's own Prometheus credentials to the gate instead of the team's token, then it is 401: the gate takes only its team's token", async () => {
    expect((await query(gateUrl, 'http_requests_total', { authorization: basicAuthorization(credentials) })).status).toBe(401);
  });
});

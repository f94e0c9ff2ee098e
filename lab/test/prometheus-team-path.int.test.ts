import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BasicCredentials, basicAuthorization, ensureBasicCredentialsFile, prometheusClient } from '@firedrill/kit';
import { freePort, startManagedProcess, waitFor, type ManagedProcess } from '@firedrill/lab-infra';
import { renderPrometheusConfig } from '../src/prometheus/prometheus-config.ts';
import { startTeamGate } from '../src/prometheus/team-gate.ts';
import { renderWebConfig } from '../src/prometheus/web-config.ts';
import { requireBinary } from '../src/topology/require-binary.ts';

/**
 * The real parts of the lab's Prometheus boundary, small: Prometheus and Alertmanager with the
 * lab's --web.config.file, Prometheus scraping three fake targets (team blue's shop, team other's
 * shop, a chaos controller with a fault metric and no team label) with the lab's config renderer,
 * prom-label-proxy enforcing team="blue" with the lab's flags, and the lab's gate in front of it.
 */
let dir: string;
let credentials: BasicCredentials;
let prometheusUrl: string;
let alertmanagerUrl: string;
let labelProxyUrl: string;
let gateUrl: string;
const processes: ManagedProcess[] = [];
const closers: Array<() => unknown> = [];

/** A /metrics endpoint answering fixed exposition text. */
async function metricsTarget(text: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(text));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

function start(name: string, args: string[]): void {
  processes.push(startManagedProcess({ name, command: requireBinary(name), args, logFile: path.join(dir, `${name}.log`) }));
}

const query = (base: string, expr: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`, { headers, signal: AbortSignal.timeout(5_000) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-promauth-'));
  credentials = ensureBasicCredentialsFile(path.join(dir, 'secrets', 'prometheus-credentials'), 'firedrill');
  const passwordFile = path.join(dir, 'secrets', 'prometheus-password');
  writeFileSync(passwordFile, credentials.password, { mode: 0o600 });
  const webConfig = path.join(dir, 'web.yml');
  writeFileSync(webConfig, renderWebConfig(credentials), { mode: 0o600 });

  const blue = await metricsTarget('http_requests_total{service="api"} 5\n');
  const other = await metricsTarget('http_requests_total{service="api"} 7\n');
  const chaos = await metricsTarget('chaos_fault_active{family="latency",target="api",mode="fixed"} 1\n');
  const [promPort, amPort, proxyPort, gatePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  prometheusUrl = `http://127.0.0.1:${promPort}`;
  alertmanagerUrl = `http://127.0.0.1:${amPort}`;
  labelProxyUrl = `http://127.0.0.1:${proxyPort}`;
  gateUrl = `http://127.0.0.1:${gatePort}`;
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
  start('prom-label-proxy', [
    '-insecure-listen-address',
    `127.0.0.1:${proxyPort}`,
    '-upstream',
    prometheusUrl,
    '-label',
    'team',
    '-label-value',
    'blue',
    '-error-on-replace',
  ]);
  const gate = await startTeamGate({ host: '127.0.0.1', port: gatePort, upstream: labelProxyUrl, credentials });
  closers.push(() => new Promise((resolve) => gate.close(resolve)));
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

describe("a team's way to Prometheus: the gate, then prom-label-proxy enforcing team=blue", () => {
  type Vector = { status: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  const viaGate = async (expr: string) => {
    const response = await query(gateUrl, expr);
    return { status: response.status, body: (await response.json()) as Vector };
  };

  it("when a trainee asks for a shop metric without any credential, then only team blue's series come back", async () => {
    const { status, body } = await viaGate('http_requests_total');
    expect(status).toBe(200);
    expect(body.data?.result.map((r) => [r.metric.team, r.value[1]])).toEqual([['blue', '5']]);
  });

  it('when a trainee asks for a fault metric, then nothing comes back (the chaos controller’s series carry no team label)', async () => {
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

  it('when a caller sends their own Authorization to the gate, then it is replaced (a wrong password still gets team blue’s answer, never a 401 or more)', async () => {
    const response = await query(gateUrl, 'http_requests_total', { authorization: basicAuthorization({ username: 'x', password: 'y' }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Vector).data?.result.map((r) => r.metric.team)).toEqual(['blue']);
  });
});

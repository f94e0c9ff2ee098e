/**
 * Every metric a dashboard queries is one something in the lab really exports. The shop's
 * services run in-process (as their own tests start them) and the exporters and Toxiproxy as the
 * real binaries; their /metrics are the reference. What cannot be scraped — k6 pushes its series,
 * recording rules compute theirs, Prometheus makes `up` and `ALERTS` — is allow-listed below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createLogger, createRegistry } from '@firedrill/kit';
import { freePort, startManagedProcess, toolsBinDir, waitFor, which, type ManagedProcess } from '@firedrill/lab-infra';
import { apiConfigSchema, startApi } from '@firedrill/api';
import { paymentsConfigSchema, startPayments } from '@firedrill/payments';
import { startWorker, workerConfigSchema } from '@firedrill/worker';
import { createControllerMetrics } from '@firedrill/chaos';
import { createTestDatabase, testQueuePrefix, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { dashboardQueries, exposedNames, loadDashboards, parsePromql, resolveGrafanaVariables } from './dashboard-queries.ts';

/** k6's Prometheus remote-write output (k6 v2.2.0, names checked against a real run; trends as
 * p50/p95/p99 need K6_PROMETHEUS_RW_TREND_STATS). dropped_iterations appears only once one drops. */
const k6Pushed = [
  'k6_vus', 'k6_vus_max', 'k6_http_reqs_total', 'k6_iterations_total', 'k6_dropped_iterations_total',
  'k6_data_sent_total', 'k6_data_received_total', 'k6_http_req_duration_p50', 'k6_http_req_duration_p95',
  'k6_http_req_duration_p99', 'k6_http_req_failed_rate', 'k6_checks_rate',
];
/** Sloth's recording-rule names (reference §2; prometheus/rules generates them from the SLO spec). */
const sloRecordingRules = ['slo:sli_error:ratio_rate5m', 'slo:period_error_budget_remaining:ratio', 'slo:current_burn_rate:ratio', 'slo:objective:ratio', 'slo:error_budget:ratio'];
/** Series Prometheus itself synthesises: scrape health and alert state. */
const prometheusSynthetic = ['up', 'ALERTS'];

const logger = createLogger('grafana-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const closers: Array<() => Promise<void>> = [];
const exported = new Map<string, Set<string>>();

async function scrape(source: string, url: string, until = ''): Promise<void> {
  const text = await waitFor(`${source} /metrics`, async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    const body = res?.ok ? await res.text() : '';
    return body.includes(until) && body;
  }, { timeoutMs: 20_000, intervalMs: 200 });
  exported.set(source, exposedNames(text));
}

function spawnTool(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
  const proc = startManagedProcess({ name, command, args, env: { ...process.env, ...env }, logFile: path.join(inject('testStateDir'), `${uniqueName(name)}.log`) });
  closers.push(() => proc.stop());
  return proc;
}

function recordedInRules(): Set<string> {
  const dir = path.resolve(import.meta.dirname, '..', '..', 'prometheus', 'rules');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as { groups?: Array<{ rules?: Array<{ record?: string }> }> } | null;
    for (const group of doc?.groups ?? []) for (const rule of group.rules ?? []) if (rule.record) names.add(rule.record);
  }
  return names;
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('grafana');
  const redisUrl = testRedisUrl();
  const queuePrefix = testQueuePrefix();

  const payments = await startPayments(paymentsConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl }), { logger });
  closers.push(() => payments.close());
  const api = await startApi(apiConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, PAYMENTS_URL: payments.url }), { logger });
  closers.push(() => api.close());
  const worker = await startWorker(workerConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix }), { logger });
  closers.push(() => worker.close());

  const chaos = createRegistry('chaos');
  createControllerMetrics(chaos);
  exported.set('chaos controller', exposedNames(await chaos.metrics()));

  const pgExporterPort = await freePort();
  spawnTool('postgres-exporter', which('prometheus-postgres-exporter', ['/usr/bin'])!, [`--web.listen-address=127.0.0.1:${pgExporterPort}`], {
    DATA_SOURCE_NAME: `${databaseUrl}?sslmode=disable`,
  });
  const redisExporterPort = await freePort();
  spawnTool('redis-exporter', which('prometheus-redis-exporter', ['/usr/bin'])!, ['-web.listen-address', `127.0.0.1:${redisExporterPort}`, '-redis.addr', redisUrl]);

  // Toxiproxy exports per-proxy counters only once a proxy has carried bytes: proxy to itself.
  const toxiPort = await freePort();
  const toxiProxyPort = await freePort();
  spawnTool('toxiproxy', which('toxiproxy-server', [toolsBinDir()])!, ['-host', '127.0.0.1', '-port', String(toxiPort), '-proxy-metrics']);
  const toxiproxy = `http://127.0.0.1:${toxiPort}`;
  await waitFor('toxiproxy', async () => (await fetch(`${toxiproxy}/version`).catch(() => null))?.ok ?? false, { timeoutMs: 15_000 });
  await fetch(`${toxiproxy}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'self', listen: `127.0.0.1:${toxiProxyPort}`, upstream: `127.0.0.1:${toxiPort}` }) });
  // Toxiproxy counts a connection's bytes when it closes.
  await (await fetch(`http://127.0.0.1:${toxiProxyPort}/version`, { headers: { connection: 'close' } })).text();

  await Promise.all([
    scrape('api', `${api.url}/metrics`),
    scrape('payments', `${payments.url}/metrics`),
    scrape('worker', `${worker.url}/metrics`),
    scrape('postgres exporter', `http://127.0.0.1:${pgExporterPort}/metrics`),
    scrape('redis exporter', `http://127.0.0.1:${redisExporterPort}/metrics`),
    scrape('toxiproxy', `${toxiproxy}/metrics`, 'toxiproxy_proxy_sent_bytes_total'),
  ]);
}, 90_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

const referenced = () => {
  const byName = new Map<string, string[]>();
  for (const q of dashboardQueries()) {
    for (const name of parsePromql(resolveGrafanaVariables(q.expr)).metricNames) byName.set(name, [...(byName.get(name) ?? []), q.where]);
  }
  return byName;
};

describe('metric names on the dashboards', () => {
  it('when the exporters really run, then they are reachable and report their target up (the reference is not an error page)', () => {
    expect(exported.get('postgres exporter')).toContain('pg_up');
    expect(exported.get('redis exporter')).toContain('redis_up');
    expect(exported.get('worker')).toContain('bullmq_job_count');
  });

  it('when every dashboard query\'s metric names are looked up, then each is exported by a service, an exporter, Toxiproxy, k6, a recording rule or Prometheus', () => {
    const known = new Set([...[...exported.values()].flatMap((s) => [...s]), ...k6Pushed, ...sloRecordingRules, ...prometheusSynthetic]);
    const unknown = [...referenced()].filter(([name]) => !known.has(name)).map(([name, where]) => `${name} (${where[0]})`);
    expect(unknown).toEqual([]);
  });

  it('when the allow-lists are compared with the dashboards, then every allowed name is used (no stale entries)', () => {
    const used = referenced();
    for (const name of [...k6Pushed, ...sloRecordingRules, ...prometheusSynthetic]) expect(used.has(name), name).toBe(true);
  });

  it('when template variables list label values, then their metrics are known too', () => {
    const known = new Set([...[...exported.values()].flatMap((s) => [...s]), ...k6Pushed, ...sloRecordingRules]);
    const variables = loadDashboards().flatMap(({ json }) => json.templating.list as Array<{ definition: string }>);
    expect(variables.length).toBeGreaterThan(0);
    for (const { definition } of variables) expect(known.has(/^label_values\(([^,]+),/.exec(definition)![1]!), definition).toBe(true);
  });

  it('when prometheus/rules records SLO series, then every slo: name the dashboards use is one of them', () => {
    const recorded = recordedInRules();
    const sloNames = [...referenced().keys()].filter((n) => n.startsWith('slo:'));
    expect(sloNames.length).toBeGreaterThan(0);
    const recordedSlo = [...recorded].filter((n) => n.startsWith('slo:'));
    // Before the SLO rules land the allow-list stands in; once they do, they are the reference.
    if (recordedSlo.length > 0) expect(sloNames.filter((n) => !recorded.has(n))).toEqual([]);
  });
});

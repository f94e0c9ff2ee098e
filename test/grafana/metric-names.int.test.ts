/**
 * Every metric a dashboard queries is one something in the lab really exports. The shop's
 * services run in-process (as their own tests start them) and the exporters and Toxiproxy as the
 * real binaries; their /metrics are the reference. What cannot be scraped — k6 pushes its series,
 * recording rules compute theirs, Prometheus makes `up` and `ALERTS` — comes from the metric
 * registry and the allow-list that test/conventions checks every query against without a lab;
 * this test checks both against the real exporters.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricRegistry, seriesNames, type MetricDefinition } from '@firedrill/conventions';
import { createLogger, createRegistry } from '@firedrill/kit';
import { freePort, startManagedProcess, toolsBinDir, waitFor, which, type ManagedProcess } from '@firedrill/lab-infra';
import { apiConfigSchema, startApi } from '@firedrill/api';
import { paymentsConfigSchema, startPayments } from '@firedrill/payments';
import { startWorker, workerConfigSchema } from '@firedrill/worker';
import { createControllerMetrics } from '@firedrill/chaos';
import { createDeployMetrics } from '@firedrill/training';
import { createTestDatabase, testQueuePrefix, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { externalMetricNames, type ExternalSource } from '../conventions/external-metric-names.ts';
import { dashboardQueries, exposedNames, loadDashboards, parsePromql, resolveGrafanaVariables } from './dashboard-queries.ts';

const seriesOf = (...groups: Array<Record<string, MetricDefinition>>) => groups.flatMap((g) => Object.values(g).flatMap(seriesNames));
/** Series nothing here can scrape: k6 pushes, recording rules compute, Prometheus synthesises. */
const notScraped = [...externalMetricNames.k6, ...externalMetricNames.prometheus, ...seriesOf(metricRegistry.goldenSignalRules, metricRegistry.sloRules)];

const logger = createLogger('grafana-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const closers: Array<() => Promise<void>> = [];
const exported = new Map<string, Set<string>>();

async function scrape(source: string, url: string, until = ''): Promise<void> {
  const text = await waitFor(
    `${source} /metrics`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      const body = res?.ok ? await res.text() : '';
      return body.includes(until) && body;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  exported.set(source, exposedNames(text));
}

function spawnTool(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
  const proc = startManagedProcess({
    name,
    command,
    args,
    env: { ...process.env, ...env },
    logFile: path.join(inject('testStateDir'), `${uniqueName(name)}.log`),
  });
  closers.push(() => proc.stop());
  return proc;
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('grafana');
  const redisUrl = testRedisUrl();
  const queuePrefix = testQueuePrefix();

  const payments = await startPayments(paymentsConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl }), { logger });
  closers.push(() => payments.close());
  const api = await startApi(
    apiConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, PAYMENTS_URL: payments.url }),
    { logger },
  );
  closers.push(() => api.close());
  const worker = await startWorker(workerConfigSchema.parse({ PORT: '0', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix }), {
    logger,
  });
  closers.push(() => worker.close());

  const chaos = createRegistry('chaos');
  createControllerMetrics(chaos);
  exported.set('chaos controller', exposedNames(await chaos.metrics()));

  const training = createRegistry('training');
  createDeployMetrics(training);
  exported.set('training', exposedNames(await training.metrics()));

  const pgExporterPort = await freePort();
  spawnTool('postgres-exporter', which('prometheus-postgres-exporter', ['/usr/bin'])!, [`--web.listen-address=127.0.0.1:${pgExporterPort}`], {
    DATA_SOURCE_NAME: `${databaseUrl}?sslmode=disable`,
  });
  const redisExporterPort = await freePort();
  spawnTool('redis-exporter', which('prometheus-redis-exporter', ['/usr/bin'])!, [
    '-web.listen-address',
    `127.0.0.1:${redisExporterPort}`,
    '-redis.addr',
    redisUrl,
  ]);

  // Toxiproxy exports per-proxy counters only once a proxy has carried bytes: proxy to itself.
  const toxiPort = await freePort();
  const toxiProxyPort = await freePort();
  spawnTool('toxiproxy', which('toxiproxy-server', [toolsBinDir()])!, ['-host', '127.0.0.1', '-port', String(toxiPort), '-proxy-metrics']);
  const toxiproxy = `http://127.0.0.1:${toxiPort}`;
  await waitFor('toxiproxy', async () => (await fetch(`${toxiproxy}/version`).catch(() => null))?.ok ?? false, { timeoutMs: 15_000 });
  await fetch(`${toxiproxy}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name: 'self', listen: `127.0.0.1:${toxiProxyPort}`, upstream: `127.0.0.1:${toxiPort}` }),
  });
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

  it("when every dashboard query's metric names are looked up, then each is exported by a service, the lab, an exporter, Toxiproxy, k6, a recording rule or Prometheus", () => {
    const known = new Set([...[...exported.values()].flatMap((s) => [...s]), ...notScraped]);
    const unknown = [...referenced()].filter(([name]) => !known.has(name)).map(([name, where]) => `${name} (${where[0]})`);
    expect(unknown).toEqual([]);
  });

  it("when the allow-list names an exporter's series, then that exporter's real /metrics has it", () => {
    const scrapedFrom: Record<Exclude<ExternalSource, 'k6' | 'prometheus'>, string[]> = {
      postgresExporter: ['postgres exporter'],
      redisExporter: ['redis exporter'],
      toxiproxy: ['toxiproxy'],
      bullmq: ['api', 'worker'],
      nodeDefaults: ['api', 'payments', 'worker'],
    };
    const missing = Object.entries(scrapedFrom).flatMap(([source, processes]) =>
      externalMetricNames[source as keyof typeof scrapedFrom]
        .filter((name) => !processes.some((p) => exported.get(p)?.has(name)))
        .map((name) => `${name} (${source}: not in ${processes.join(' or ')})`),
    );
    expect(missing).toEqual([]);
  });

  it('when the services and the controller really serve /metrics, then each exports every series the registry says it owns', () => {
    const owned: Record<string, string[]> = {
      api: seriesOf(metricRegistry.http, metricRegistry.api),
      payments: seriesOf(metricRegistry.http, metricRegistry.payments),
      worker: seriesOf(metricRegistry.http, metricRegistry.worker),
      'chaos controller': seriesOf(metricRegistry.chaosController),
      training: seriesOf(metricRegistry.training),
    };
    const missing = Object.entries(owned).flatMap(([process, names]) => names.filter((n) => !exported.get(process)?.has(n)).map((n) => `${process}: ${n}`));
    expect(missing).toEqual([]);
  });

  it('when template variables list label values, then their metrics are known too', () => {
    const known = new Set([...[...exported.values()].flatMap((s) => [...s]), ...notScraped]);
    const variables = loadDashboards().flatMap(({ json }) => json.templating.list as Array<{ definition: string }>);
    expect(variables.length).toBeGreaterThan(0);
    // The metric's name, without the team matcher every variable query carries (grafana/src/team-scope.ts).
    for (const { definition } of variables)
      expect(known.has(/^label_values\(([A-Za-z_:][A-Za-z0-9_:]*)[{,]/.exec(definition)?.[1] ?? ''), definition).toBe(true);
  });
});

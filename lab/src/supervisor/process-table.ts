import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LabConfig } from '../config/lab-config.ts';
import { which } from '@firedrill/lab-infra';
import { preparePostgres } from '@firedrill/lab-infra';
import { prepareRedis } from '@firedrill/lab-infra';
import { renderPrometheusConfig } from '../prometheus/prometheus-config.ts';
import { renderAlertmanagerConfig } from '../prometheus/alertmanager-config.ts';
import { toolsBinDir } from '@firedrill/lab-infra';
import { chaosTokenFiles, ensureChaosTokens } from '../chaos/chaos-tokens.ts';
import { httpOk, postgresAnswers, redisAnswers, type HealthCheck } from './health-checks.ts';

/** How to run one process; built afresh at every (re)start so it can prepare files first. */
export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout is JSON lines already (pino): written straight to the log file. */
  writesJsonLines?: boolean;
  runAs?: { uid: number; gid: number };
  stopSignal?: NodeJS.Signals;
}

export interface ProcessSpec {
  name: string;
  kind: 'infrastructure' | 'service';
  port: number;
  /** What `lab status` shows and what a user opens or connects to. */
  url: string;
  /** Started only once all of these are healthy. */
  dependsOn: readonly string[];
  launch(): Launch;
  health: HealthCheck;
  /** Runs each time the process has become healthy after a start (idempotent set-up). */
  afterHealthy?: () => Promise<void>;
  /** A crash (non-zero exit, or a signal we did not send) restarts it with backoff; exit 0 keeps it down. */
  restartOnCrash: boolean;
}

/** Databases on the lab's Postgres: the shop's, and the lab's own (faults journal, incidents, grades). */
export const labDatabases = ['shop', 'lab'] as const;

export function postgresUrl(config: LabConfig, database: string): string {
  return `postgres://postgres@127.0.0.1:${config.ports.postgres}/${database}`;
}

export function redisUrl(config: LabConfig): string {
  return `redis://127.0.0.1:${config.ports.redis}`;
}

/**
 * The shop reaches Postgres and Redis only through Toxiproxy, so network faults can act on that
 * path; the lab itself (chaos journal, health checks, reset) connects directly and is never
 * blinded by them.
 */
export function shopDatabaseUrl(config: LabConfig): string {
  return `postgres://postgres@127.0.0.1:${config.ports.postgresProxy}/shop`;
}

export function shopRedisUrl(config: LabConfig): string {
  return `redis://127.0.0.1:${config.ports.redisProxy}`;
}

/** Toxiproxy's proxies: name → listen (shop side) and upstream (the real server). */
export function toxiproxyProxies(config: LabConfig) {
  const { ports } = config;
  return [
    { name: 'postgres', listen: `127.0.0.1:${ports.postgresProxy}`, upstream: `127.0.0.1:${ports.postgres}` },
    { name: 'redis', listen: `127.0.0.1:${ports.redisProxy}`, upstream: `127.0.0.1:${ports.redis}` },
  ];
}

/**
 * Every process the lab runs, in start order. Shutdown goes in reverse. Later parts of the lab
 * (chaos controller, Toxiproxy, Alertmanager) join by adding an entry here.
 */
export function labProcesses(config: LabConfig): ProcessSpec[] {
  const { ports, stateDir } = config;
  const http = (port: number) => `http://127.0.0.1:${port}`;
  const chaosUrl = http(ports.chaos);
  const tokens = chaosTokenFiles(config);
  /** Every shop service carries the chaos agent, which asks the controller for its faults. */
  const agentEnv = { CHAOS_URL: chaosUrl, CHAOS_AGENT_TOKEN_FILE: tokens.agent };

  const service = (name: string, port: number, readyPath: string, dependsOn: string[], env: Record<string, string>): ProcessSpec => ({
    name,
    kind: 'service',
    port,
    url: http(port),
    dependsOn,
    restartOnCrash: true,
    health: httpOk(`${http(port)}${readyPath}`),
    launch: () => ({
      command: process.execPath,
      args: ['--import', '@firedrill/kit/telemetry', path.join(config.repoRoot, 'services', name, 'src', 'main.ts')],
      cwd: config.repoRoot,
      env: { ...serviceBaseEnv(config, name), HOST: '127.0.0.1', PORT: String(port), ...env },
      writesJsonLines: true,
    }),
  });

  return [
    {
      name: 'postgres',
      kind: 'infrastructure',
      port: ports.postgres,
      url: postgresUrl(config, 'shop'),
      dependsOn: [],
      restartOnCrash: true,
      health: postgresAnswers(postgresUrl(config, 'postgres')),
      launch: () => preparePostgres({ dataDir: path.join(stateDir, 'postgres'), port: ports.postgres, logFile: '' }),
      afterHealthy: () => createDatabases(postgresUrl(config, 'postgres'), labDatabases),
    },
    {
      name: 'redis',
      kind: 'infrastructure',
      port: ports.redis,
      url: redisUrl(config),
      dependsOn: [],
      restartOnCrash: true,
      health: redisAnswers(redisUrl(config)),
      launch: () => prepareRedis({ dataDir: path.join(stateDir, 'redis'), port: ports.redis, logFile: '', persistent: true }),
    },
    {
      name: 'prometheus',
      kind: 'infrastructure',
      port: ports.prometheus,
      url: http(ports.prometheus),
      dependsOn: [],
      restartOnCrash: true,
      health: httpOk(`${http(ports.prometheus)}/-/ready`),
      launch: () => preparePrometheus(config),
    },
    {
      name: 'alertmanager',
      kind: 'infrastructure',
      port: ports.alertmanager,
      url: http(ports.alertmanager),
      dependsOn: [],
      restartOnCrash: true,
      health: httpOk(`${http(ports.alertmanager)}/-/ready`),
      launch: () => prepareAlertmanager(config),
    },
    {
      name: 'postgres-exporter',
      kind: 'infrastructure',
      port: ports.postgresExporter,
      url: `${http(ports.postgresExporter)}/metrics`,
      dependsOn: ['postgres'],
      restartOnCrash: true,
      health: httpOk(`${http(ports.postgresExporter)}/metrics`),
      launch: () => ({
        command: requireBinary('prometheus-postgres-exporter'),
        // pg_stat_database already covers every database; --auto-discover-databases cannot parse
        // a URL without a password (exporter 0.11) and would report pg_up 0.
        args: [`--web.listen-address=127.0.0.1:${ports.postgresExporter}`],
        // Direct to Postgres, not through Toxiproxy: it reports on the store itself.
        env: { DATA_SOURCE_NAME: `${postgresUrl(config, 'postgres')}?sslmode=disable` },
      }),
    },
    {
      name: 'redis-exporter',
      kind: 'infrastructure',
      port: ports.redisExporter,
      url: `${http(ports.redisExporter)}/metrics`,
      dependsOn: ['redis'],
      restartOnCrash: true,
      health: httpOk(`${http(ports.redisExporter)}/metrics`),
      launch: () => ({
        command: requireBinary('prometheus-redis-exporter'),
        args: ['-redis.addr', redisUrl(config), '-web.listen-address', `127.0.0.1:${ports.redisExporter}`],
      }),
    },
    {
      name: 'toxiproxy',
      kind: 'infrastructure',
      port: ports.toxiproxy,
      url: http(ports.toxiproxy),
      dependsOn: [],
      restartOnCrash: true,
      health: httpOk(`${http(ports.toxiproxy)}/version`),
      launch: () => {
        const bin = which('toxiproxy-server', [toolsBinDir()]);
        if (!bin) throw new Error('toxiproxy-server not found: run `npx lab setup`');
        // -proxy-metrics: bytes and connections per proxy on /metrics (off by default).
        return {
          command: bin,
          args: ['-host', '127.0.0.1', '-port', String(ports.toxiproxy), '-proxy-metrics'],
          // One OS thread: every query and Redis command of the shop crosses this proxy, and on
          // two cores Go's idle threads spinning for work, and handing each read to a thread on
          // the other core, cost a third of its CPU (measured: 26 % → 18 % of a core at 120 orders/s).
          env: { ...config.inheritedEnv, GOMAXPROCS: '1' },
        };
      },
      // Idempotent: re-creates the proxies after a Toxiproxy restart too.
      afterHealthy: () => populateProxies(http(ports.toxiproxy), toxiproxyProxies(config)),
    },
    {
      name: 'chaos',
      kind: 'service',
      port: ports.chaos,
      url: chaosUrl,
      dependsOn: ['postgres', 'toxiproxy'],
      restartOnCrash: true,
      health: httpOk(`${chaosUrl}/health/live`),
      launch: () => {
        ensureChaosTokens(config);
        return {
          command: process.execPath,
          args: [path.join(config.repoRoot, 'chaos', 'src', 'main.ts')],
          cwd: config.repoRoot,
          writesJsonLines: true,
          env: {
            ...serviceBaseEnv(config, 'chaos'),
            HOST: '127.0.0.1',
            PORT: String(ports.chaos),
            LAB_DATABASE_URL: postgresUrl(config, 'lab'),
            TOXIPROXY_URL: http(ports.toxiproxy),
            INSTRUCTOR_TOKEN_FILE: tokens.instructor,
            AGENT_TOKEN_FILE: tokens.agent,
            ALERTS_TOKEN_FILE: tokens.alerts,
          },
        };
      },
    },
    service('payments', ports.payments, '/payments/health/ready', ['postgres', 'toxiproxy', 'chaos'], {
      DATABASE_URL: shopDatabaseUrl(config),
      ...agentEnv,
    }),
    service('api', ports.api, '/api/health/ready', ['postgres', 'redis', 'toxiproxy', 'chaos', 'payments'], {
      DATABASE_URL: shopDatabaseUrl(config),
      REDIS_URL: shopRedisUrl(config),
      QUEUE_PREFIX: config.queuePrefix,
      PAYMENTS_URL: http(ports.payments),
      ...agentEnv,
    }),
    service('worker', ports.worker, '/health/ready', ['postgres', 'redis', 'toxiproxy', 'chaos'], {
      DATABASE_URL: shopDatabaseUrl(config),
      REDIS_URL: shopRedisUrl(config),
      QUEUE_PREFIX: config.queuePrefix,
      ...agentEnv,
    }),
  ];
}

/** Processes in the order people read them: the shop first, then what it stands on. */
export function displayOrder(specs: readonly { name: string; kind: string }[]): string[] {
  const services = specs.filter((s) => s.kind === 'service').map((s) => s.name);
  const rank = (name: string) => (['api', 'payments', 'worker'].indexOf(name) + 1 || 99);
  services.sort((a, b) => rank(a) - rank(b));
  return [...services, ...specs.filter((s) => s.kind !== 'service').map((s) => s.name)];
}

/**
 * Telemetry stays off unless the user points it at a collector: with no collector the SDK
 * would only log export failures. Their OTEL_* settings always pass through.
 */
function serviceBaseEnv(config: LabConfig, name: string): Record<string, string> {
  const inherited = config.inheritedEnv;
  return {
    ...inherited,
    LOG_LEVEL: 'info',
    OTEL_SERVICE_NAME: inherited.OTEL_SERVICE_NAME ?? name,
    OTEL_SDK_DISABLED: inherited.OTEL_EXPORTER_OTLP_ENDPOINT ? (inherited.OTEL_SDK_DISABLED ?? 'false') : 'true',
  };
}

function requireBinary(name: string): string {
  const bin = which(name, ['/usr/bin', '/usr/local/bin']);
  if (!bin) throw new Error(`${name} not found: run \`npx lab setup\``);
  return bin;
}

/**
 * Alertmanager routes by severity and reports every alert, firing and resolved, to the lab
 * (the chaos controller's /api/alerts/webhook), which records when each fired: grading needs it.
 */
function prepareAlertmanager(config: LabConfig): Launch {
  const dir = path.join(config.stateDir, 'alertmanager');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'alertmanager.yml');
  writeFileSync(configFile, renderAlertmanagerConfig({
    webhookUrl: `http://127.0.0.1:${config.ports.chaos}/api/alerts/webhook`,
    tokenFile: chaosTokenFiles(config).alerts,
  }));
  return {
    command: requireBinary('prometheus-alertmanager'),
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${config.ports.alertmanager}`,
      '--cluster.listen-address=', // one Alertmanager: no gossip port to collide with
    ],
    cwd: dir,
  };
}

function preparePrometheus(config: LabConfig): Launch {
  const bin = which('prometheus', ['/usr/bin', '/usr/local/bin']);
  if (!bin) throw new Error('prometheus not found: run `npx lab setup`');
  const dir = path.join(config.stateDir, 'prometheus');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  const { ports } = config;
  writeFileSync(
    configFile,
    renderPrometheusConfig({
      rulesDir: path.join(config.repoRoot, 'prometheus', 'rules'),
      alertmanagerPort: ports.alertmanager,
      targets: [
        { job: 'api', port: ports.api, metricsPath: '/metrics' },
        { job: 'payments', port: ports.payments, metricsPath: '/metrics' },
        { job: 'worker', port: ports.worker, metricsPath: '/metrics' },
        { job: 'chaos', port: ports.chaos, metricsPath: '/metrics', bearerTokenFile: chaosTokenFiles(config).instructor },
        { job: 'toxiproxy', port: ports.toxiproxy, metricsPath: '/metrics' },
        { job: 'postgres-exporter', port: ports.postgresExporter, metricsPath: '/metrics' },
        { job: 'redis-exporter', port: ports.redisExporter, metricsPath: '/metrics' },
        { job: 'alertmanager', port: ports.alertmanager, metricsPath: '/metrics' },
        { job: 'prometheus', port: ports.prometheus, metricsPath: '/metrics' },
      ],
    }),
  );
  return {
    command: bin,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--storage.tsdb.retention.time=2d',
      '--web.enable-remote-write-receiver', // k6 pushes its results here
      '--web.enable-lifecycle',
    ],
    cwd: dir,
  };
}

async function populateProxies(toxiproxyUrl: string, proxies: ReturnType<typeof toxiproxyProxies>): Promise<void> {
  const response = await fetch(`${toxiproxyUrl}/populate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(proxies.map((p) => ({ ...p, enabled: true }))),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`toxiproxy /populate answered ${response.status}: ${await response.text()}`);
}

async function createDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    for (const name of names) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await client.end();
  }
}

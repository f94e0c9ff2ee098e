import path from 'node:path';
import { maxWorkers, preparePostgres, prepareRedis, workerReplicaPort } from '@firedrill/lab-infra';
import { chaosTokenFiles, ensureChaosTokens } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { httpOk, postgresAnswers, redisAnswers } from '../supervisor/health-checks.ts';
import { prepareAlertmanager } from './alertmanager-launch.ts';
import { createDatabases } from './create-databases.ts';
import { httpUrl as http, labDatabases, postgresUrl, redisUrl, shopDatabaseUrl, shopRedisUrl } from './lab-addresses.ts';
import type { ProcessSpec } from './process-spec.ts';
import { preparePrometheus } from './prometheus-launch.ts';
import { requireBinary } from './require-binary.ts';
import { serviceBaseEnv } from './service-env.ts';
import { ensureOperatorToken, operatorTokenFile } from './training-tokens.ts';
import { populateProxies, toxiproxyProxies } from './toxiproxy-proxies.ts';

export type { Launch, ProcessSpec } from './process-spec.ts';

/** The api's heap bound (MB): far above its ordinary use (~60 MB), under compose's 384 MB limit. */
export const apiHeapLimitMb = 192;

/**
 * Every process the lab runs, in start order. Shutdown goes in reverse. Later parts of the lab
 * (chaos controller, Toxiproxy, Alertmanager) join by adding an entry here.
 */
export function labProcesses(config: LabConfig): ProcessSpec[] {
  const { ports, stateDir } = config;
  const chaosUrl = http(ports.chaos);
  const tokens = chaosTokenFiles(config);
  /** Every shop service carries the chaos agent, which asks the controller for its faults. */
  const trainingUrl = http(ports.training);
  /**
   * Every shop service carries the chaos agent, which asks the controller for its faults, and
   * evaluates flags from the training process (with the same agent token).
   */
  const agentEnv = { CHAOS_URL: chaosUrl, CHAOS_AGENT_TOKEN_FILE: tokens.agent };
  /** The services that read feature flags (the worker has none) poll the training process for them. */
  const flagsEnv = { FLAGS_URL: trainingUrl };

  /** A shop service; `program` is the service a replica (worker-2) runs. */
  const service = (name: string, port: number, readyPath: string, dependsOn: string[], env: Record<string, string>, program = name): ProcessSpec => ({
    name,
    kind: 'service',
    port,
    url: http(port),
    dependsOn,
    restartOnCrash: true,
    versioned: true,
    health: httpOk(`${http(port)}${readyPath}`),
    launch: () => ({
      command: process.execPath,
      args: [
        ...(config.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfDir}`] : []),
        '--import',
        '@firedrill/kit/telemetry',
        path.join(config.repoRoot, 'services', program, 'src', 'main.ts'),
      ],
      cwd: config.repoRoot,
      env: { ...serviceBaseEnv(config, program), HOST: '127.0.0.1', PORT: String(port), ...env },
      writesJsonLines: true,
    }),
  });
  const workerEnv = {
    DATABASE_URL: shopDatabaseUrl(config),
    REDIS_URL: shopRedisUrl(config),
    QUEUE_PREFIX: config.queuePrefix,
    ...agentEnv,
  };
  const workerDependsOn = ['postgres', 'redis', 'toxiproxy', 'chaos'];

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
      launch: () => ({
        command: requireBinary('toxiproxy-server'),
        // -proxy-metrics: bytes and connections per proxy on /metrics (off by default).
        args: ['-host', '127.0.0.1', '-port', String(ports.toxiproxy), '-proxy-metrics'],
        // One OS thread: every query and Redis command of the shop crosses this proxy, and on
        // two cores Go's idle threads spinning for work, and handing each read to a thread on
        // the other core, cost a third of its CPU (measured: 26 % → 18 % of a core at 120 orders/s).
        env: { ...config.inheritedEnv, GOMAXPROCS: '1' },
      }),
      // Idempotent: re-creates the proxies after a Toxiproxy restart too.
      afterHealthy: () => populateProxies(http(ports.toxiproxy), toxiproxyProxies(config)),
    },
    {
      name: 'chaos',
      kind: 'service',
      port: ports.chaos,
      url: chaosUrl,
      dependsOn: ['postgres', 'toxiproxy', 'redis'],
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
            // Direct, not through Toxiproxy: redis-memory-pressure is undone even during a redis-loss.
            REDIS_ADMIN_URL: redisUrl(config),
            INSTRUCTOR_TOKEN_FILE: tokens.instructor,
            AGENT_TOKEN_FILE: tokens.agent,
            ALERTS_TOKEN_FILE: tokens.alerts,
          },
        };
      },
    },
    {
      name: 'training',
      kind: 'service',
      port: ports.training,
      url: trainingUrl,
      dependsOn: ['postgres'],
      restartOnCrash: true,
      health: httpOk(`${trainingUrl}/health/ready`),
      launch: () => {
        ensureChaosTokens(config);
        ensureOperatorToken(config);
        return {
          command: process.execPath,
          args: [path.join(config.repoRoot, 'training', 'src', 'main.ts')],
          cwd: config.repoRoot,
          writesJsonLines: true,
          env: {
            ...serviceBaseEnv(config, 'training'),
            HOST: '127.0.0.1',
            PORT: String(ports.training),
            LAB_DATABASE_URL: postgresUrl(config, 'lab'),
            // The levers' admin access to the shop's stores: direct, never through Toxiproxy.
            SHOP_ADMIN_DATABASE_URL: postgresUrl(config, 'shop'),
            REDIS_URL: redisUrl(config),
            QUEUE_PREFIX: config.queuePrefix,
            SUPERVISOR_URL: http(ports.supervisor),
            // Runs: faults and alerts through the chaos controller (instructor token), probes and
            // signals from Prometheus, k6 shoppers at the api; each run's journal under the state dir.
            CHAOS_URL: chaosUrl,
            PROMETHEUS_URL: http(ports.prometheus),
            API_URL: http(ports.api),
            PAYMENTS_URL: http(ports.payments),
            SCENARIOS_DIR: config.scenariosDir,
            RUNS_DIR: path.join(stateDir, 'runs'),
            INSTRUCTOR_TOKEN_FILE: tokens.instructor,
            OPERATOR_TOKEN_FILE: operatorTokenFile(config),
            AGENT_TOKEN_FILE: tokens.agent,
          },
        };
      },
    },
    {
      // The instructor's and the trainees' web page: it signs people in through the training API
      // and acts as them there, and draws its charts from Prometheus.
      name: 'console',
      kind: 'service',
      port: ports.console,
      url: http(ports.console),
      dependsOn: ['training', 'prometheus'],
      restartOnCrash: true,
      health: httpOk(`${http(ports.console)}/health/live`),
      launch: () => ({
        command: process.execPath,
        args: [path.join(config.repoRoot, 'console', 'src', 'main.ts')],
        cwd: config.repoRoot,
        writesJsonLines: true,
        env: {
          ...serviceBaseEnv(config, 'console'),
          HOST: '127.0.0.1',
          PORT: String(ports.console),
          TRAINING_URL: trainingUrl,
          PROMETHEUS_URL: http(ports.prometheus),
        },
      }),
    },
    // The shop waits for training so its flags apply from the first request (without it, they keep their defaults).
    service('payments', ports.payments, '/payments/health/ready', ['postgres', 'toxiproxy', 'chaos', 'training'], {
      DATABASE_URL: shopDatabaseUrl(config),
      ...agentEnv,
      ...flagsEnv,
    }),
    service('api', ports.api, '/api/health/ready', ['postgres', 'redis', 'toxiproxy', 'chaos', 'training', 'payments'], {
      DATABASE_URL: shopDatabaseUrl(config),
      REDIS_URL: shopRedisUrl(config),
      QUEUE_PREFIX: config.queuePrefix,
      PAYMENTS_URL: http(ports.payments),
      // A bounded heap, as in a container: a memory-leak fault ends in "JavaScript heap out of
      // memory" and a restart by the supervisor, not in the machine swapping. Same in compose.
      NODE_OPTIONS: `--max-old-space-size=${apiHeapLimitMb}`,
      ...agentEnv,
      ...flagsEnv,
    }),
    {
      ...service('worker', ports.worker, '/health/ready', workerDependsOn, workerEnv),
      // `lab scale worker N`: worker-2 … worker-N, the same program on ports of their own.
      scalable: {
        max: maxWorkers,
        replica: (index) => service(`worker-${index}`, workerReplicaPort(ports, index), '/health/ready', workerDependsOn, workerEnv, 'worker'),
      },
    },
  ];
}

/** Processes in the order people read them: the shop first, then what it stands on. */
export function displayOrder(specs: readonly { name: string; kind: string }[]): string[] {
  const services = specs.filter((s) => s.kind === 'service').map((s) => s.name);
  // Replicas (worker-2) sit with the service they copy.
  const rank = (name: string) => ['api', 'payments', 'worker'].indexOf(name.replace(/-\d+$/, '')) + 1 || 99;
  services.sort((a, b) => rank(a) - rank(b));
  return [...services, ...specs.filter((s) => s.kind !== 'service').map((s) => s.name)];
}

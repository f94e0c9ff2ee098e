import path from 'node:path';
import { preparePostgres } from '@firedrill/lab-infra';
import { chaosTokenFiles, ensureChaosTokens } from '../chaos/chaos-tokens.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { httpOk, postgresAnswers } from '../supervisor/health-checks.ts';
import { prepareAlertmanager } from './alertmanager-launch.ts';
import { prepareLabDatabases } from './lab-databases.ts';
import { httpUrl as http, postgresDisplayUrl, postgresUrl, redisAddress } from './lab-addresses.ts';
import { postgresMaxConnections } from './postgres-connections.ts';
import { postgresPassword } from './postgres-credentials.ts';
import { redisAdminCredentials, redisAdminUrl } from './redis-users.ts';
import { redisProcesses, redisProcessNames } from './redis-servers.ts';
import type { ProcessSpec } from './process-spec.ts';
import { observabilityAuthHeaders, observabilityCredentialFiles } from './observability-credentials.ts';
import { preparePrometheus } from './prometheus-launch.ts';
import { requireBinary } from './require-binary.ts';
import { supervisorTokenFile } from '../supervisor/supervisor-token.ts';
import { serviceBaseEnv } from './service-env.ts';
import { consoleTeamPrometheusEnv, teamGateProcess, teamPrometheusProcesses } from './team-prometheus-processes.ts';
import { shopProcesses, singleShop } from './shop-processes.ts';
import { singleShopTeam } from './single-shop-team.ts';
import { classShopsEnv, ensureTeamsInTraining, teamProxies, teamShopProcesses } from './team-shops.ts';
import { consoleTerminalEnv, sshdProcesses } from './sshd-process.ts';
import { ensureOperatorToken, operatorTokenFile } from './training-tokens.ts';
import { populateProxies, toxiproxyProxies } from './toxiproxy-proxies.ts';

export type { Launch, ProcessSpec } from './process-spec.ts';

/**
 * Every process the lab runs, in start order. Shutdown goes in reverse. Later parts of the lab
 * (chaos controller, Toxiproxy, Alertmanager) join by adding an entry here.
 */
export function labProcesses(config: LabConfig): ProcessSpec[] {
  const { ports, stateDir } = config;
  const chaosUrl = http(ports.chaos);
  const tokens = chaosTokenFiles(config);
  const trainingUrl = http(ports.training);
  /** Prometheus and Alertmanager want basic auth on every route, their readiness too. */
  const observabilityAuth = observabilityAuthHeaders(config);
  const prometheusCredentialsFile = observabilityCredentialFiles(config).credentials;

  return [
    {
      name: 'postgres',
      kind: 'infrastructure',
      port: ports.postgres,
      url: postgresDisplayUrl(config, 'shop'),
      dependsOn: [],
      restartOnCrash: true,
      // The URL (with its password) is built when the check runs: listing the processes
      // (`lab logs`, preflight) must not generate secrets.
      health: () => postgresAnswers(postgresUrl(config, 'postgres'))(),
      // Password auth on every start: also moves a data dir made by an older lab (trust) to it.
      launch: () =>
        preparePostgres({
          dataDir: path.join(stateDir, 'postgres'),
          port: ports.postgres,
          logFile: '',
          superuserPassword: postgresPassword(config),
          // Room for every team's pools at their largest (a single lab: 200, as always).
          maxConnections: postgresMaxConnections(config.teams.length),
        }),
      afterHealthy: () => prepareLabDatabases(config),
    },
    // The single lab's Redis, or each team's own in a class (redis-servers.ts).
    ...redisProcesses(config),
    {
      name: 'prometheus',
      kind: 'infrastructure',
      port: ports.prometheus,
      url: http(ports.prometheus),
      dependsOn: [],
      restartOnCrash: true,
      health: httpOk(`${http(ports.prometheus)}/-/ready`, observabilityAuth),
      launch: () => preparePrometheus(config),
    },
    {
      name: 'alertmanager',
      kind: 'infrastructure',
      port: ports.alertmanager,
      url: http(ports.alertmanager),
      dependsOn: [],
      restartOnCrash: true,
      health: httpOk(`${http(ports.alertmanager)}/-/ready`, observabilityAuth),
      launch: () => prepareAlertmanager(config),
    },
    ...teamPrometheusProcesses(config),
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
      // What it serves: the single lab's Redis on /metrics; in a class /metrics is empty and each
      // team's server is read through /scrape?target= (its address is on the team's redis row).
      url: config.teams.length === 0 ? `${http(ports.redisExporter)}/metrics` : `${http(ports.redisExporter)}/scrape?target=<a team's redis>`,
      dependsOn: redisProcessNames(config),
      restartOnCrash: true,
      health: httpOk(`${http(ports.redisExporter)}/health`),
      launch: () => {
        const { user, password } = redisAdminCredentials(config);
        return {
          command: requireBinary('prometheus-redis-exporter'),
          // One exporter for every server: the single lab's on /metrics (-redis.addr); a class's
          // through /scrape?target=<a team's Redis> (prometheus-launch.ts), so no server of its own.
          args: ['-redis.addr', config.teams.length === 0 ? redisAddress(ports.redis) : '', '-web.listen-address', `127.0.0.1:${ports.redisExporter}`],
          // Its user and password in its environment, not its arguments (`ps` shows those to everyone).
          env: { REDIS_USER: user, REDIS_PASSWORD: password },
        };
      },
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
      afterHealthy: () => populateProxies(http(ports.toxiproxy), [...toxiproxyProxies(config), ...teamProxies(config)]),
    },
    {
      name: 'chaos',
      kind: 'service',
      port: ports.chaos,
      url: chaosUrl,
      dependsOn: ['postgres', 'toxiproxy', ...redisProcessNames(config)],
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
            // In a class, a team's fault presses the team's own Redis: CLASS_SHOPS names each one's
            // address, and the controller uses REDIS_ADMIN_URL's user and password there.
            REDIS_ADMIN_URL: redisAdminUrl(config),
            ...classShopsEnv(config),
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
      afterHealthy: () => ensureTeamsInTraining(config),
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
            REDIS_URL: redisAdminUrl(config),
            QUEUE_PREFIX: config.queuePrefix,
            SUPERVISOR_URL: http(ports.supervisor),
            SUPERVISOR_TOKEN_FILE: supervisorTokenFile(config),
            // Runs: faults and alerts through the chaos controller (instructor token), probes and
            // signals from Prometheus, k6 shoppers at the api; each run's journal under the state dir.
            CHAOS_URL: chaosUrl,
            PROMETHEUS_URL: http(ports.prometheus),
            PROMETHEUS_CREDENTIALS_FILE: prometheusCredentialsFile,
            API_URL: http(ports.api),
            PAYMENTS_URL: http(ports.payments),
            SCENARIOS_DIR: config.scenariosDir,
            RUNS_DIR: path.join(stateDir, 'runs'),
            INSTRUCTOR_TOKEN_FILE: tokens.instructor,
            OPERATOR_TOKEN_FILE: operatorTokenFile(config),
            AGENT_TOKEN_FILE: tokens.agent,
            // A class: each team's shop, which that team's runs and levers act on. A single lab:
            // its one shop's team label, for its deploy markers.
            ...(config.teams.length === 0 ? { SHOP_TEAM_LABEL: singleShopTeam } : classShopsEnv(config)),
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
      dependsOn: ['training', 'prometheus', teamGateProcess],
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
          // The instructor's charts straight from Prometheus; a trainee's through their team's gate, with the team's token.
          PROMETHEUS_URL: http(ports.prometheus),
          PROMETHEUS_CREDENTIALS_FILE: prometheusCredentialsFile,
          ...consoleTeamPrometheusEnv(config),
          // The instructor's curveballs and halt, sent with the instructor's own (signed-in) token.
          CHAOS_URL: chaosUrl,
          // A class: charts scoped to a team (a trainee's own, the instructor's pick).
          ...(config.teams.length > 0 && { CLASS_TEAMS: config.teams.join(',') }),
          ...consoleTerminalEnv(config),
        },
      }),
    },
    // The shop: one, or one per team in a class (docs/decisions/0015).
    ...(config.teams.length === 0 ? shopProcesses(config, singleShop(config)) : teamShopProcesses(config)),
    ...sshdProcesses(config),
  ];
}

/** Processes in the order people read them: the shop first, then what it stands on. */
export function displayOrder(specs: readonly { name: string; kind: string; team?: string }[]): string[] {
  const services = specs.filter((s) => s.kind === 'service');
  // In a class, each team's shop together, teams in the order they were given, before the shared planes.
  const teams = [...new Set(specs.map((s) => s.team).filter((t) => t !== undefined))];
  const teamRank = (s: { team?: string }) => (s.team === undefined ? teams.length : teams.indexOf(s.team));
  // Replicas (worker-2) sit with the service they copy.
  const rank = (s: { name: string; team?: string }) =>
    ['api', 'payments', 'worker'].indexOf(s.name.replace(s.team ? `${s.team}-` : '', '').replace(/-\d+$/, '')) + 1 || 99;
  services.sort((a, b) => teamRank(a) - teamRank(b) || rank(a) - rank(b));
  return [...services.map((s) => s.name), ...specs.filter((s) => s.kind !== 'service').map((s) => s.name)];
}

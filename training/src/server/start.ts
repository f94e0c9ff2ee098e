import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  ServiceResources,
  createLogger,
  createPool,
  createRegistry,
  migrateAtStartup,
  prometheusClientFromSettings,
  readToken,
  startHttpServer,
  type Logger,
} from '@firedrill/kit';
import { logConnectionChanges, reconnectForEver } from '@firedrill/queue-contract';
import { createEventStore } from '../events/event-store.ts';
import { loadQuiz } from '../quiz/load-quiz.ts';
import { createQuizStore } from '../quiz/quiz-store.ts';
import { createFlagStore } from '../flags/flag-store.ts';
import { createIdentityService } from '../identities/identity-service.ts';
import { createTraineeStore } from '../identities/trainee-store.ts';
import { createIncidentService } from '../incidents/incident-service.ts';
import { webhookPager } from '../incidents/pager.ts';
import { scenarioHints } from '../incidents/scenario-hints.ts';
import { createLeverService } from '../levers/lever-service.ts';
import { createDeployMetrics } from '../releases/deploy-metrics.ts';
import { createReleaseService } from '../releases/release-service.ts';
import { createReleaseStore } from '../releases/release-store.ts';
import { createSupervisorClient } from '../releases/supervisor-client.ts';
import { createChaosClient } from '../runs/chaos-client.ts';
import { readGoldenSignals } from '../runs/golden-signals.ts';
import { defaultDriverSettings } from '../runs/run-driver.ts';
import { createReportService } from '../reports/report-service.ts';
import { gatherImpactFigures } from '../pir/gather-impact-figures.ts';
import { createPirService } from '../pir/pir-service.ts';
import { createPirStore } from '../pir/pir-store.ts';
import { createRunJournal } from '../runs/run-journal.ts';
import { createRunService, type RunService } from '../runs/run-service.ts';
import { createRunStore } from '../runs/run-store.ts';
import { systemClock } from '../runs/run-clock.ts';
import { createShopDirectory, probesForTeam, type Shop } from '../runs/team-shops.ts';
import { startLoad } from '../load/k6-load.ts';
import { evaluateProbes } from '../scenario/probes.ts';
import { buildTrainingApp } from './app.ts';
import type { TrainingConfig } from './config.ts';

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

export interface RunningTraining {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Tokens → pool → migrations → stores → levers → listen. close() stops taking requests, then
 * closes Redis and the pool; a failed start closes whatever it had opened.
 */
export async function startTraining(config: Readonly<TrainingConfig>, options: { logger?: Logger } = {}): Promise<RunningTraining> {
  const logger = options.logger ?? createLogger('training', config.LOG_LEVEL);
  const tokens = {
    instructor: readToken(config.INSTRUCTOR_TOKEN_FILE),
    operator: readToken(config.OPERATOR_TOKEN_FILE),
    agent: readToken(config.AGENT_TOKEN_FILE),
  };
  await using resources = new ServiceResources(logger);
  const pool = resources.add('postgres pool', createPool({ connectionString: config.LAB_DATABASE_URL, max: 5 }, logger), (p) => p.end());
  await migrateAtStartup(pool, { schema: 'training', dir: migrationsDir }, logger);

  const registry = createRegistry('training');
  // A broken quiz file stops the start, like a broken migration: better than a quiz that fails mid-class.
  const quiz = loadQuiz();
  // Without its scenarios folder every GET /api/scenarios would be a 500: refuse to start instead, saying which.
  if (!existsSync(config.SCENARIOS_DIR)) throw new Error(`SCENARIOS_DIR ${config.SCENARIOS_DIR} does not exist: point it at the scenarios/ folder`);
  // The single lab's shop, or in a class each team's: what a run, a lever and a probe act on.
  const shops = createShopDirectory(
    {
      apiUrl: config.API_URL,
      paymentsUrl: config.PAYMENTS_URL,
      adminDatabaseUrl: config.SHOP_ADMIN_DATABASE_URL,
      queuePrefix: config.QUEUE_PREFIX,
      adminRedisUrl: config.REDIS_URL,
    },
    config.CLASS_SHOPS,
  );
  // One admin connection per shop's Redis (a class's teams each have their own), opened when a
  // lever or the queue view first needs it. Levers answer at once when Redis is away rather than
  // queueing commands for later.
  const shopRedis = new Map<string, Redis>();
  resources.defer('shop redis connections', () => {
    for (const client of shopRedis.values()) client.disconnect();
  });
  const redisOf = (shop: Shop): Redis => {
    let client = shopRedis.get(shop.key);
    if (!client) {
      client = new Redis(shop.adminRedisUrl, { ...reconnectForEver, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 });
      logConnectionChanges(client, logger, shop.team === null ? 'redis (levers)' : `redis of team ${shop.team} (levers)`);
      shopRedis.set(shop.key, client);
    }
    return client;
  };
  const events = createEventStore(pool, { shopOfTeam: (team) => (shops.isClass ? (team !== null && shops.teams.includes(team) ? team : undefined) : '') });
  const flags = await createFlagStore(pool, events, shops);
  const releaseStore = createReleaseStore(pool);
  const trainees = createTraineeStore(pool);
  const identities = createIdentityService({ store: trainees, events });
  const supervisor = config.SUPERVISOR_URL ? createSupervisorClient(config.SUPERVISOR_URL, supervisorToken(config)) : undefined;
  const releases = createReleaseService({
    pool,
    store: releaseStore,
    events,
    metrics: createDeployMetrics(registry, config.SHOP_TEAM_LABEL),
    supervisor,
    shops,
  });
  await releases.restoreMetrics();
  // The lever service asks the run what a lever means to it; the run service is created just below.
  let runs: RunService | undefined;
  const levers = createLeverService({
    events,
    flags,
    releases,
    supervisor,
    redisOf,
    shops,
    deadLetterLockWaitMs: config.DEAD_LETTER_LOCK_WAIT_MS,
    annotate: (lever, shop) => runs?.annotateLever(lever, shop) ?? {},
    currentRun: (shop) => runs?.current(shop),
  });

  // SQL probes read a shop's database directly (never through Toxiproxy), briefly: a probe that cannot tell fails.
  // One small pool per shop (a class's teams' databases), opened when a run first probes it.
  const shopPools = new Map<string, ReturnType<typeof createPool>>();
  resources.defer('shop probe pools', () => Promise.all([...shopPools.values()].map((p) => p.end())));
  const shopPoolOf = (shop: Shop) => {
    let shopPool = shopPools.get(shop.key);
    if (!shopPool) {
      shopPool = createPool({ connectionString: shop.adminDatabaseUrl, max: 2, queryTimeoutMs: 4_000 }, logger);
      shopPools.set(shop.key, shopPool);
    }
    return shopPool;
  };
  // Reports and PIRs read the database of the shop of the run's team (a single lab's: its one shop).
  const teamShopQuery =
    (team: string | null) =>
    async (sql: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> =>
      shopPoolOf(shops.shopFor(team)).query(sql, values);
  const journal = createRunJournal(config.RUNS_DIR);
  const prometheus = prometheusClientFromSettings(config.PROMETHEUS_URL, config.PROMETHEUS_CREDENTIALS_FILE);
  const probeTargetsOf = (shop: Shop) => ({
    prometheus,
    serviceUrls: { api: shop.apiUrl, payments: shop.paymentsUrl },
    databases: { shop: (sql: string) => shopPoolOf(shop).query(sql), lab: (sql: string) => pool.query(sql) },
  });
  const runStore = createRunStore(pool);
  runs = createRunService({
    store: runStore,
    events,
    journal,
    chaos: createChaosClient(config.CHAOS_URL, tokens.instructor),
    releases,
    flags,
    supervisor,
    scenariosDir: config.SCENARIOS_DIR,
    shops,
    evaluateProbes: async (probes, shop) => (await evaluateProbes(probesForTeam(probes, shop.team), probeTargetsOf(shop))).results,
    startLoad: (runId, load, maxSeconds, shop) =>
      startLoad({
        script: load.script,
        profile: load.profile,
        rate: load.rate,
        duration: `${maxSeconds}s`,
        baseUrl: shop.apiUrl,
        prometheus,
        testId: runId,
        logFile: path.join(journal.dirOf(runId), 'k6.log'),
      }),
    signals: (shop) => readGoldenSignals(prometheus, shop.team),
    clock: systemClock,
    logger,
    settings: defaultDriverSettings,
    teamForRun: (requested) => identities.teamForRun(requested),
    sendPage: config.PAGER_WEBHOOK_URL ? webhookPager(config.PAGER_WEBHOOK_URL, logger) : undefined,
  });
  const runService = runs;
  const incidents = createIncidentService({
    pool,
    events,
    runs: runStore,
    directory: trainees,
    teamOfRun: (run) => run.team,
    // In a class a trainee's commands go to its own team's shop's run; the instructor's and the operator's to
    // the team they name (?team=), else the newest.
    onCallersShop: (caller, run) => !shops.isClass || caller.team === null || run.shop === caller.team,
    hintsOf: scenarioHints(config.SCENARIOS_DIR),
    clock: systemClock,
  });
  // Stopped (and cleaned up) before the pools close, after the server stops taking requests.
  resources.defer('runs', () => runService.close());

  const pirs = createPirService({
    store: createPirStore(pool, events),
    events,
    figures: (window, run) => gatherImpactFigures(window, { prometheus, shopQuery: teamShopQuery(run.team), team: shops.isClass ? run.team : null }),
  });

  const app = buildTrainingApp({
    tokens,
    findTrainee: (presented) => trainees.findByToken(presented),
    identities,
    registry,
    logger,
    flags,
    releases,
    releaseStore,
    levers,
    events,
    shops,
    runs: runService,
    incidents,
    reports: createReportService({
      store: runStore,
      events,
      scenariosDir: config.SCENARIOS_DIR,
      shopQueryOf: (run) => teamShopQuery(run.team),
      prometheus,
      clock: systemClock,
    }),
    pirs,
    quiz,
    quizAttempts: createQuizStore(pool, events),
    // Only the lab's database: the levers' stores are the shop's, whose outages are the lab's subject.
    readyChecks: { postgres: () => pool.query('SELECT 1') },
    readyTimeoutMs: 1_000,
  });
  const server = resources.add('http server', await startHttpServer(app, { port: config.PORT, host: config.HOST }), (s) => s.close());
  // Closed before the server (reverse order): providers' held flag polls are answered rather than waited out.
  resources.defer('held flag polls', () => flags.answerHeldPolls());
  logger.info({ url: server.url, openapi: `${server.url}/api/openapi.json`, supervisor: config.SUPERVISOR_URL ?? null }, 'training listening');
  // In the background: a run a crash left behind is cleaned up while the API already answers.
  void runService.recover();
  return { url: server.url, port: server.port, close: resources.handOver() };
}

/** The supervisor's control port refuses every call without its token: a URL without one is a mistake in the setup. */
function supervisorToken(config: TrainingConfig): string {
  if (!config.SUPERVISOR_TOKEN_FILE) throw new Error('SUPERVISOR_URL is set but SUPERVISOR_TOKEN_FILE is not: the supervisor answers 401 without its token');
  return readToken(config.SUPERVISOR_TOKEN_FILE);
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { consoleConfigSchema, startConsole, type RunningConsole } from '@firedrill/console';
import { createLogger, ensureTokenFile } from '@firedrill/kit';
import { freePortBlock, portsFor, startRedis, waitFor, type RedisServer } from '@firedrill/lab-infra';
import { createTestDatabase, testRedisUrl, uniqueName } from '@firedrill/lab-infra/testing';
import { startTraining, trainingConfigSchema, type RunningTraining } from '@firedrill/training';
import { repoRoot, type LabConfig } from '../../src/config/lab-config.ts';
import type { AccountPlaces } from '../../src/ssh/account-places.ts';
import { sshPaths } from '../../src/ssh/ssh-paths.ts';
import { prepareSshd, sshBannerAnswers } from '../../src/ssh/sshd-launch.ts';
import { traineeAccountsUnavailable } from '../../src/ssh/trainee-account.ts';
import { writeLabState } from '../../src/supervisor/lab-state.ts';
import { readonlyConnection } from '../../src/topology/postgres-credentials.ts';
import { readonlyRedisCredentials, redisAclUsersFor, redisAclFile, redisAdminUrl, writeRedisAclFile } from '../../src/topology/redis-users.ts';
import { shopAccounts, storePassword, type ShopAccounts } from '../../src/topology/shop-accounts.ts';
import { ensureShopRoles } from '../../src/topology/shop-roles.ts';

/**
 * Where the SSH tests' state dirs go. sshd's StrictModes refuses authorized keys below a directory
 * others may write, and a CI clone may well sit under /tmp: so, as root, /var/lib/firedrill-tests
 * (root's, 0755, beside where a lab box would keep its state); elsewhere test-output/ (the tests are
 * skipped there anyway, since only root makes accounts). Made by `sshTestDir`.
 */
export const sshTestStateParent = process.getuid?.() === 0 ? '/var/lib/firedrill-tests' : path.join(repoRoot, 'test-output');

/** A fresh directory under sshTestStateParent that the trainees can traverse (0755), as a lab's state dir is. */
export function sshTestDir(prefix: string): string {
  mkdirSync(sshTestStateParent, { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(path.join(sshTestStateParent, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Why these tests cannot run here (not root, no openssh-server), or undefined. */
export const labBoxUnavailable = traineeAccountsUnavailable(path.join(sshTestStateParent, 'ssh-box-x'));

export interface LabBox {
  config: LabConfig;
  places: AccountPlaces;
  training: RunningTraining;
  instructorToken: string;
  team: string;
  /** Adds a trainee to the team through the training API; its name is unique to this run. */
  addTrainee(): Promise<{ name: string; team: string; token: string }>;
  /** The shop database as its superuser (a table `orders` with one row). */
  shopAdminUrl: string;
  /** The box's own Redis (the lab's users, default user off) as the lab's user `lab`. */
  redisAdminUrl: string;
  /** The shop's accounts (on Postgres named after the test's database): its keys are `<queuePrefix>:*`. */
  shop: ShopAccounts;
  close(): Promise<void>;
}

/**
 * The lab box without a whole lab: a real training process (real Postgres and Redis of the test
 * run) on the port its port block says, a lab.json naming it (so the trainee's `lab` finds it),
 * and the lab's real sshd on the block's ssh port, as the lab would run them. Seconds to start.
 */
export async function startLabBox(): Promise<LabBox> {
  // The trainees traverse the state dir (their profile, lab.json, logs) as the lab's own would let them.
  const dir = sshTestDir('ssh-box-');
  const stateDir = path.join(dir, 'state');
  const base = await freePortBlock();
  const config: LabConfig = Object.freeze({
    repoRoot,
    stateDir,
    logsDir: path.join(stateDir, 'logs'),
    scenariosDir: path.join(dir, 'scenarios'),
    teams: [],
    portBase: base,
    ports: portsFor(base),
    upTimeoutMs: 60_000,
    queuePrefix: uniqueName('fdssh'),
    inheritedEnv: {},
  });
  spawnSync('mkdir', ['-p', config.logsDir, config.scenariosDir]);
  chmodSync(stateDir, 0o755);
  const instructorToken = ensureTokenFile(path.join(dir, 'instructor-token'));
  for (const role of ['operator', 'agent']) ensureTokenFile(path.join(dir, `${role}-token`));
  const shopAdminUrl = await createTestDatabase('shop');
  const shopDb = new pg.Client({ connectionString: shopAdminUrl });
  await shopDb.connect();
  await shopDb.query('CREATE TABLE orders (id int primary key, total numeric); INSERT INTO orders VALUES (1, 42)');
  await shopDb.end();
  // The shop's accounts as `lab up` makes them. On Postgres named after the test's database (roles
  // are the whole shared test server's, and other test files run the same fixture at once);
  // Redis is the box's own, with the lab's ACL file (default user off).
  const database = decodeURIComponent(new URL(shopAdminUrl).pathname.slice(1));
  const shop: ShopAccounts = { ...shopAccounts(config), database, owner: database, readonly: `${database}_readonly` };
  const login = (role: string) => ({ role, password: storePassword(config, 'postgres', role) });
  await ensureShopRoles(
    (db) => shopAdminUrl.replace(/\/[^/]*$/, `/${db}`),
    [database],
    [{ database, owner: login(shop.owner), readonly: login(shop.readonly) }],
  );
  const postgresPort = Number(new URL(shopAdminUrl).port);
  const redis: RedisServer = await startRedis({
    dataDir: path.join(dir, 'redis'),
    port: config.ports.redis,
    logFile: path.join(dir, 'redis.log'),
    aclFile: writeRedisAclFile(redisAclFile(config), redisAclUsersFor(config, [shopAccounts(config)])),
  });
  const training = await startTraining(
    trainingConfigSchema.parse({
      HOST: '127.0.0.1',
      PORT: String(config.ports.training),
      LAB_DATABASE_URL: await createTestDatabase('lab'),
      SHOP_ADMIN_DATABASE_URL: shopAdminUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: config.queuePrefix,
      INSTRUCTOR_TOKEN_FILE: path.join(dir, 'instructor-token'),
      OPERATOR_TOKEN_FILE: path.join(dir, 'operator-token'),
      AGENT_TOKEN_FILE: path.join(dir, 'agent-token'),
      CHAOS_URL: 'http://127.0.0.1:1',
      SCENARIOS_DIR: config.scenariosDir,
      RUNS_DIR: path.join(dir, 'runs'),
      API_URL: 'http://127.0.0.1:1',
      PAYMENTS_URL: 'http://127.0.0.1:1',
      PROMETHEUS_URL: 'http://127.0.0.1:1',
    }),
    { logger: createLogger('ssh-test', 'silent') },
  );
  // The trainee's `lab` finds "the running lab" by lab.json; this test process stands for its supervisor.
  writeLabState(stateDir, { pid: process.pid, controlPort: 1, portBase: base, startedAt: new Date().toISOString(), processes: {} });

  const auth = { authorization: `Bearer ${instructorToken}`, 'content-type': 'application/json' };
  // Team names are the Redis and Postgres accounts' names too, which outlive a test database: unique.
  const team = `t${randomBytes(4).toString('hex')}`;
  const made = await fetch(`${training.url}/api/teams`, { method: 'POST', headers: auth, body: JSON.stringify({ name: team }) });
  if (made.status !== 201) throw new Error(`team: ${made.status} ${await made.text()}`);

  const launch = prepareSshd(config);
  const sshd: ChildProcess = spawn(launch.command, launch.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let sshdLog = '';
  sshd.stderr!.on('data', (chunk) => {
    sshdLog += chunk;
  });
  await waitFor(`sshd on ${config.ports.ssh}`, sshBannerAnswers(config.ports.ssh), { timeoutMs: 10_000 }).catch((err) => {
    throw new Error(`${(err as Error).message}; its log: ${sshdLog}`);
  });

  return {
    config,
    places: {
      trainingPort: config.ports.training,
      readonlyAccounts: () => ({
        database: readonlyConnection({ stateDir, ports: { ...config.ports, postgres: postgresPort } }, shop),
        // The box's own Redis has the lab's users: the single shop's read-only one.
        redis: { ...readonlyRedisCredentials(config, shopAccounts(config)), port: config.ports.redis },
      }),
    },
    training,
    instructorToken,
    team,
    shopAdminUrl,
    redisAdminUrl: redisAdminUrl(config),
    shop,
    async addTrainee() {
      const name = `s${randomBytes(4).toString('hex')}`;
      const added = await fetch(`${training.url}/api/trainees`, { method: 'POST', headers: auth, body: JSON.stringify({ name, team }) });
      if (added.status !== 201) throw new Error(`trainee: ${added.status} ${await added.text()}`);
      return { name, team, token: ((await added.json()) as { token: string }).token };
    },
    async close() {
      sshd.kill('SIGTERM');
      await training.close();
      await redis.stop();
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `ssh` to the lab box as `user` with `key` (or none): its exit status and output. Asynchronous:
 * the training process the shell calls runs in this test process, which must keep answering.
 */
export function ssh(box: LabBox, user: string, key: string | undefined, command: string, options: { tty?: string; extra?: string[] } = {}) {
  const args = [
    ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5'],
    ...(key ? ['-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'] : []),
    ...(options.extra ?? []),
    ...(options.tty !== undefined ? ['-tt'] : []),
    '-p',
    String(box.config.ports.ssh),
    `${user}@127.0.0.1`,
    ...(options.tty !== undefined ? [] : [command]),
  ];
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.tty ?? '');
  });
}

/** A console whose terminal bridges to this box's sshd with the keys the lab made (the terminal tests); `extra`: more of its settings. */
export function startConsoleForBox(box: LabBox, loggerName: string, extra: Record<string, string> = {}): Promise<RunningConsole> {
  return startConsole(
    consoleConfigSchema.parse({
      HOST: '127.0.0.1',
      PORT: '0',
      TRAINING_URL: box.training.url,
      SSH_PORT: String(box.config.ports.ssh),
      TRAINEE_KEYS_DIR: sshPaths(box.config.stateDir).keysDir,
      ...extra,
    }),
    { logger: createLogger(loggerName, 'silent') },
  );
}

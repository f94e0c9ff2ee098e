import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgres, startRedis, type PostgresServer, type RedisServer } from '@firedrill/lab-infra';
import { loadLabConfig, type LabConfig } from '../src/config/lab-config.ts';
import { postgresPassword, readonlyConnection } from '../src/topology/postgres-credentials.ts';
import { prepareLabDatabases } from '../src/topology/lab-databases.ts';
import { shopDatabaseUrl } from '../src/topology/lab-addresses.ts';
import { teamRedisServer } from '../src/topology/redis-servers.ts';
import { readonlyRedisCredentials, redisAclUsersFor, redisAdminUrl, redisUrlAs, shopRedisCredentials, writeRedisAclFile } from '../src/topology/redis-users.ts';
import { shopAccounts } from '../src/topology/shop-accounts.ts';

/**
 * Each team's accounts on its stores (docs/decisions/0016), on a real Postgres (password auth, as
 * the native lab runs it) shared by the class, and a real Redis loading the ACL file of blue's own
 * server (a class runs a Redis per team, docs/decisions/0015): what `lab up` makes for a class of
 * blue and green. Seconds: no whole lab.
 */
describe('the stores of a class of blue and green', () => {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-stores-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  let config: LabConfig;
  let postgres: PostgresServer;
  let redis: RedisServer;
  const clients: Redis[] = [];
  const blue = shopAccounts({ queuePrefix: 'firedrill' }, 'blue');
  const green = shopAccounts({ queuePrefix: 'firedrill' }, 'green');

  /** As blue's Redis starts (redis-servers.ts): its ACL file written first. Persistent, so a restart keeps the keys. */
  const redisOptions = () => ({
    dataDir: path.join(dir, 'redis'),
    port: config.ports.redis,
    logFile: path.join(dir, 'redis.log'),
    persistent: true,
    aclFile: writeRedisAclFile(teamRedisServer(config, 'blue').aclFile, redisAclUsersFor(config, [blue])),
  });

  beforeAll(async () => {
    const base = loadLabConfig({ LAB_STATE_DIR: path.join(dir, 'state'), LAB_TEAMS: 'blue,green' });
    config = Object.freeze({ ...base, ports: { ...base.ports, postgres: await freePort(), redis: await freePort() } });
    [postgres, redis] = await Promise.all([
      startPostgres({
        dataDir: path.join(dir, 'postgres'),
        port: config.ports.postgres,
        logFile: path.join(dir, 'postgres.log'),
        ephemeral: true,
        superuserPassword: postgresPassword(config),
      }),
      startRedis(redisOptions()),
    ]);
    await prepareLabDatabases(config);
    // An older lab's shop made its schema as the superuser: `lab up` hands it to the team's role.
    const admin = new pg.Client({ connectionString: postgres.url(blue.database) });
    await admin.connect();
    await admin.query(`CREATE SCHEMA shop; CREATE TYPE shop.state AS ENUM ('new', 'paid');
      CREATE TABLE shop.orders (id serial PRIMARY KEY, state shop.state NOT NULL DEFAULT 'new');
      CREATE FUNCTION shop.paid() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM shop.orders WHERE state = 'paid' $$;
      INSERT INTO shop.orders DEFAULT VALUES`);
    await admin.end();
    // …and the SSH box's first read-only role, on the one `shop` database: gone at the next `lab up`.
    const shop = new pg.Client({ connectionString: postgres.url('shop') });
    await shop.connect();
    await shop.query(
      "CREATE ROLE fd_blue_readonly LOGIN PASSWORD 'x'; GRANT CONNECT ON DATABASE shop TO fd_blue_readonly; GRANT SELECT ON ALL TABLES IN SCHEMA public TO fd_blue_readonly",
    );
    await shop.end();
    await prepareLabDatabases(config);
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.allSettled([postgres?.stop(), redis?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    console.log(`store accounts: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const redisAs = (url: string) => {
    // No ready check: its INFO is not every user's to run.
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false });
    client.on('error', () => {}); // refusals are asserted on the commands
    clients.push(client);
    return client;
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (err: Error) => err.message,
    );
  const pgAs = async (url: string, work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
  const asRole = (role: string, password: string, database: string) => `postgres://${role}:${password}@127.0.0.1:${config.ports.postgres}/${database}`;

  it('when a client names no user, then Redis answers NOAUTH; the lab’s own user may do anything', async () => {
    expect(await refusal(redisAs(`redis://127.0.0.1:${config.ports.redis}`).get('x'))).toMatch(/^NOAUTH/);
    const lab = redisAs(redisAdminUrl(config));
    await lab.set(`${green.queuePrefix}:probe`, 'green');
    await lab.set(`${blue.queuePrefix}:probe`, 'blue');
    expect(await lab.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
  });

  it("when blue's shop user runs its BullMQ queue, then jobs go through; green's keys and admin commands are NOPERM", async () => {
    const url = redisUrlAs(shopRedisCredentials(config, blue), config.ports.redis);
    // BullMQ's connections, as the shop's: the queue's and the worker's (a later test restarts Redis under them).
    const bullConnection = () => {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      connection.on('error', () => {});
      clients.push(connection);
      return connection;
    };
    const queue = new Queue('fulfilment', { connection: bullConnection(), prefix: blue.queuePrefix });
    const done = new Promise<unknown>((resolve) => {
      const worker: Worker = new Worker('fulfilment', async (job) => job.data, { connection: bullConnection(), prefix: blue.queuePrefix });
      worker.on('completed', (job) => void worker.close().then(() => resolve(job.returnvalue)));
    });
    await queue.add('fulfil-order', { orderId: 'o-1' });
    expect(await done).toEqual({ orderId: 'o-1' });
    await queue.close();

    const shop = redisAs(url);
    expect(await refusal(shop.get(`${green.queuePrefix}:probe`))).toMatch(/^NOPERM/);
    expect(await refusal(shop.set(`${green.queuePrefix}:probe`, 'x'))).toMatch(/^NOPERM/);
    expect(await refusal(shop.get('firedrill:probe'))).toMatch(/^NOPERM/); // the single lab's prefix is not blue's
    expect(await refusal(new Queue('fulfilment', { connection: shop, prefix: green.queuePrefix }).add('x', {}))).toMatch(/NOPERM/);
    for (const command of [shop.flushall(), shop.config('GET', 'maxmemory'), shop.keys('*'), shop.call('ACL', 'LIST')])
      expect(await refusal(command)).toMatch(/^NOPERM/);
    // Green's accounts are on green's own server, not on blue's.
    expect(await refusal(redisAs(redisUrlAs(shopRedisCredentials(config, green), config.ports.redis)).get(`${green.queuePrefix}:probe`))).toMatch(/WRONGPASS/);
  });

  it("when blue's read-only user reads, then it GETs blue's keys only and writes nothing", async () => {
    const { user, password } = readonlyRedisCredentials(config, blue);
    const readonly = redisAs(redisUrlAs({ user, password }, config.ports.redis));
    expect(user).toBe('shop_blue_readonly');
    expect(await readonly.get(`${blue.queuePrefix}:probe`)).toBe('blue');
    expect(await refusal(readonly.get(`${green.queuePrefix}:probe`))).toMatch(/^NOPERM/);
    expect(await refusal(readonly.set(`${blue.queuePrefix}:probe`, 'changed'))).toMatch(/^NOPERM/);
    // SCAN would list green's key names (Redis does not filter it by key pattern).
    expect(await refusal(readonly.scan(0))).toMatch(/^NOPERM/);
  });

  it('when Redis restarts, then it has every user again (the lab writes the ACL file before each start)', async () => {
    // Each user's rules as a set: Redis lists a category's commands in no fixed order.
    const users = async () => ((await redisAs(redisAdminUrl(config)).call('ACL', 'LIST')) as string[]).map((line) => line.split(' ').sort());
    const before = await users();
    await redis.stop();
    redis = await startRedis(redisOptions());
    expect(await users()).toEqual(before);
    expect(before.map((rules) => rules.join(' '))).toContainEqual(['-@all', 'default', 'off', 'resetchannels', 'user'].join(' '));
    // Blue's server knows the lab and blue's two users, no other team's.
    const names = ((await redisAs(redisAdminUrl(config)).call('ACL', 'USERS')) as string[]).sort();
    expect(names).toEqual(['default', 'lab', 'shop_blue', 'shop_blue_readonly']);
    // Passwords are there as hashes only.
    expect(before.flat().join(' ')).not.toContain(shopRedisCredentials(config, blue).password);
    expect(await redisAs(redisUrlAs(readonlyRedisCredentials(config, blue), config.ports.redis)).get(`${blue.queuePrefix}:probe`)).toBe('blue');
  });

  it("when blue's shop connects as its own role, then it owns shop_blue (the superuser's old objects too) and cannot connect to shop_green or lab", async () => {
    const url = shopDatabaseUrl(config, blue, config.ports.postgres);
    expect(new URL(url).username).toBe('shop_blue');
    const owned = await pgAs(url, async (client) => {
      await client.query('CREATE SCHEMA IF NOT EXISTS payments; CREATE TABLE payments.charges (id int)');
      await client.query("INSERT INTO shop.orders (state) VALUES ('paid')");
      await client.query('ALTER TABLE shop.orders ADD COLUMN note text');
      return (await client.query('SELECT shop.paid() AS paid, current_setting($1) AS superuser', ['is_superuser'])).rows[0];
    });
    expect(owned).toEqual({ paid: '1', superuser: 'off' });
    const password = new URL(url).password;
    for (const database of [green.database, 'lab', 'postgres']) {
      expect(await refusal(pgAs(asRole('shop_blue', password, database), (c) => c.query('SELECT 1')))).toBe(`permission denied for database "${database}"`);
    }
  });

  it("when `lab up` runs again, then the SSH box's earlier read-only roles are gone: one read-only mechanism", async () => {
    const roles = await pgAs(
      postgres.url('postgres'),
      async (c) => (await c.query("SELECT rolname FROM pg_roles WHERE rolname LIKE '%readonly' ORDER BY 1")).rows,
    );
    expect(roles).toEqual([{ rolname: 'shop_blue_readonly' }, { rolname: 'shop_green_readonly' }]);
  });

  it("when blue's read-only role reads, then it reads shop_blue, writes nothing and cannot connect to shop_green", async () => {
    const ro = readonlyConnection(config, blue);
    expect(ro.user).toBe('shop_blue_readonly');
    expect(await pgAs(ro.url, async (c) => (await c.query('SELECT count(*)::int AS n FROM shop.orders')).rows[0])).toEqual({ n: 2 });
    expect(await refusal(pgAs(ro.url, (c) => c.query("INSERT INTO shop.orders (state) VALUES ('new')")))).toMatch(/read-only transaction/);
    const privileged = pgAs(ro.url, async (c) => {
      await c.query('SET default_transaction_read_only = off');
      await c.query("INSERT INTO shop.orders (state) VALUES ('new')");
    });
    expect(await refusal(privileged)).toMatch(/permission denied/);
    expect(await refusal(pgAs(asRole(ro.user, ro.password, green.database), (c) => c.query('SELECT 1')))).toBe(
      `permission denied for database "${green.database}"`,
    );
    expect(await refusal(pgAs(asRole(ro.user, 'guessed', blue.database), (c) => c.query('SELECT 1')))).toMatch(/password authentication failed/);
  });

  it("when green's shop connects, then it sees its own database and not blue's", async () => {
    const url = shopDatabaseUrl(config, green, config.ports.postgres);
    expect(await pgAs(url, async (c) => (await c.query('SELECT current_database() AS db')).rows[0])).toEqual({ db: 'shop_green' });
    const password = new URL(url).password;
    expect(await refusal(pgAs(asRole('shop_green', password, blue.database), (c) => c.query('SELECT 1')))).toBe(
      `permission denied for database "${blue.database}"`,
    );
  });
});

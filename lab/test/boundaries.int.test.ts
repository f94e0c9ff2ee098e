import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherUser, otherUserUnavailable, postgresBinDir, startNativeLab, type NativeLab, type OtherUser } from '@firedrill/lab-infra';
import { readonlyConnection } from '../src/topology/postgres-credentials.ts';
import { shopAccounts } from '../src/topology/shop-accounts.ts';

/**
 * Issue 12 §3, the boundaries that do not depend on sshd: what another local user (a trainee's
 * account; here a throwaway one) meets on a running native lab. One lab for the file.
 */
const unavailable = otherUserUnavailable();

describe.skipIf(unavailable)(`the native lab, seen by another local user${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: NativeLab;
  let trainee: OtherUser;
  const psql = path.join(postgresBinDir() ?? '/usr/bin', 'psql');

  beforeAll(async () => {
    lab = await startNativeLab();
    trainee = createOtherUser();
  }, 150_000);
  afterAll(async () => {
    trainee?.remove();
    await lab?.down();
  }, 120_000);

  const apiPid = async () => (await lab.status()).find((s) => s.name === 'api')?.pid;

  it("when they POST a restart to the supervisor's control port without its token, or with a wrong one, then it answers 401 and the api keeps running", async () => {
    const before = await apiPid();
    const restart = `${lab.url('supervisor')}/restart/api`;
    const bare = await trainee.run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', restart]);
    const guessed = await trainee.run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      '-H',
      `authorization: Bearer ${'a'.repeat(43)}`,
      restart,
    ]);
    const shutdown = await trainee.run('curl', ['-s', '-w', '\n%{http_code}', '-X', 'POST', `${lab.url('supervisor')}/shutdown`]);
    expect([bare.stdout, guessed.stdout]).toEqual(['401', '401']);
    expect(shutdown.stdout.trim().split('\n').at(-1)).toBe('401');
    expect(JSON.parse(shutdown.stdout.trim().split('\n')[0]!)).toMatchObject({ status: 401, code: 'unauthorized' });
    // The lab's own user (this test, through the CLI) still reaches it with the token.
    expect(await apiPid()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  it('when they read the secrets, the chaos controller’s log or the run journals, then each read is refused (EACCES)', async () => {
    const secrets = readdirSync(path.join(lab.stateDir, 'secrets')).map((name) => path.join(lab.stateDir, 'secrets', name));
    expect(secrets.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['supervisor-token', 'postgres-password', 'instructor-token']));
    const targets = [...secrets, path.join(lab.stateDir, 'logs', 'chaos.log'), path.join(lab.stateDir, 'logs', 'training.log')];
    for (const file of targets) {
      const read = await trainee.run('cat', [file]);
      expect({ file, code: read.code, stderr: read.stderr }).toMatchObject({ code: 1, stderr: expect.stringContaining('Permission denied') });
    }
    // A run's journal lives under runs/: the directory itself is closed to them.
    const runs = await trainee.run('ls', [path.join(lab.stateDir, 'runs')]);
    expect(runs.stderr).toContain('Permission denied');
    expect(statSync(path.join(lab.stateDir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it("when they read the shop's logs, then they can (api, payments, worker)", async () => {
    for (const service of ['api', 'payments', 'worker']) {
      const read = await trainee.run('cat', [path.join(lab.stateDir, 'logs', `${service}.log`)]);
      expect(read.code, read.stderr).toBe(0);
      const first = JSON.parse(read.stdout.split('\n')[0]!) as { service: string };
      expect(first.service).toBe(service);
    }
  });

  it('when they run psql as the superuser postgres without its password (or with a guessed one), then Postgres refuses', async () => {
    const port = String(lab.ports.postgres);
    const bare = await trainee.run(psql, ['-w', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'shop', '-c', 'select 1']);
    const guessed = await trainee.run(psql, ['-w', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'shop', '-c', 'select 1'], {
      env: { PGPASSWORD: 'postgres' },
    });
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(/password/);
    expect(guessed.code).not.toBe(0);
    expect(guessed.stderr).toContain('password authentication failed for user "postgres"');
  });

  it("when they list every process's command line, then no Postgres or Redis password is in one (the lab passes them in environments)", async () => {
    const passwords = ['postgres-password', 'postgres-shop-password', 'postgres-shop_readonly-password', 'redis-lab-password', 'redis-shop-password'].map(
      (name) => readFileSync(path.join(lab.stateDir, 'secrets', name), 'utf8').trim(),
    );
    const ps = await trainee.run('ps', ['-eo', 'args']);
    expect(ps.stdout).toContain('postgres'); // they do see the lab's processes
    for (const password of passwords) expect(ps.stdout).not.toContain(password);
  });

  it("when they use the shop's read-only role, then SELECT works and INSERT, UPDATE, DELETE, DDL and the lab's database are refused", async () => {
    const ro = readonlyConnection({ stateDir: lab.stateDir, ports: lab.ports }, shopAccounts({ queuePrefix: 'firedrill' }));
    const env = { PGHOST: ro.host, PGPORT: String(ro.port), PGUSER: ro.user, PGPASSWORD: ro.password };
    /** Each statement is a -c of its own: one psql session, one transaction each. */
    const sql = (statements: string | string[], database = ro.database) =>
      trainee.run(psql, ['-w', '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, ...[statements].flat().flatMap((s) => ['-c', s])], { env });

    const select = await sql('select count(*) from shop.products');
    expect(select.code, select.stderr).toBe(0);
    expect(Number(select.stdout.trim())).toBeGreaterThan(0);

    // Each write both as it comes (the role's sessions are read-only) and after switching that off: the privileges refuse it too.
    const writes = [
      "insert into shop.products (id, name, description, price_cents) values ('x-ro', 'x', 'x', 1)",
      'update shop.products set name = name',
      'delete from shop.products',
      'create table shop.ro_probe (id int)',
      'drop table shop.products',
      'truncate shop.orders',
    ];
    for (const write of writes) {
      const readOnly = await sql(write);
      expect({ write, code: readOnly.code }).toEqual({ write, code: 1 });
      const privileged = await sql(['set default_transaction_read_only = off', write]);
      expect({ write, code: privileged.code, stderr: privileged.stderr }).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/permission denied|must be owner/),
      });
    }
    const labDb = await sql('select 1', 'lab');
    expect(labDb.code).not.toBe(0);
    expect(labDb.stderr).toContain('permission denied for database "lab"');
  });
});

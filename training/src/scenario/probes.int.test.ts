import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { evaluateSql } from './probes.ts';

describe('SQL probe against a real Postgres', () => {
  let pool: pg.Pool;
  const query = (sql: string) => pool.query(sql);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await createTestDatabase('probe'), max: 2 });
    await pool.query("create table orders (status text, paid_at timestamptz); insert into orders values ('paid', now() - interval '5 minutes')");
  });
  afterAll(() => pool.end());

  it('when the query returns true, then the probe passes; false fails and shows it', async () => {
    expect(await evaluateSql(query, "select count(*) = 1 from orders where status = 'paid'")).toEqual({ ok: true, detail: 'true' });
    expect(await evaluateSql(query, "select count(*) = 0 from orders where status = 'paid' and paid_at < now() - interval '60 seconds'")).toEqual({
      ok: false,
      detail: 'false',
    });
  });

  it('when the query returns no boolean or no rows, then the probe fails', async () => {
    expect(await evaluateSql(query, 'select count(*) from orders')).toEqual({ ok: false, detail: '1' });
    expect(await evaluateSql(query, 'select true from orders where false')).toEqual({ ok: false, detail: 'no rows' });
  });

  it('when the query is wrong or too slow, then the probe fails with the reason', async () => {
    expect(await evaluateSql(query, 'select true from no_such_table')).toEqual({ ok: false, detail: 'SQL: relation "no_such_table" does not exist' });
    expect(await evaluateSql(query, 'select pg_sleep(2) is not null', 200)).toEqual({ ok: false, detail: 'SQL: no answer within 200 ms' });
  });
});

import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHttpServer } from '../http/index.ts';
import { createLogger } from '../logger/index.ts';
import { errorHandler } from './error-handler.ts';
import type { ProblemBody } from './problems.ts';

/**
 * The safety net under request validation: a value only Postgres refuses (SQLSTATE class 22),
 * sent to the real test Postgres by a route that validates nothing on purpose.
 */
describe('errorHandler with a real Postgres', () => {
  let pool: pg.Pool;
  let server: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 1 });
    const app = express();
    app.get('/echo/:value', async (req, res) => {
      res.json((await pool.query<{ value: string }>('SELECT $1::text AS value', [req.params.value])).rows[0]);
    });
    app.use(errorHandler(createLogger('test', 'silent')));
    server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close();
    await pool.end();
  });

  it('when Postgres refuses a value the route did not validate (NUL in text), then 400 validation_failed, not 500', async () => {
    const res = await fetch(`${server.url}/echo/a%00b`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ProblemBody;
    expect(body.code).toBe('validation_failed');
    expect(JSON.stringify(body)).not.toContain('0x00');
  });

  it('when Postgres gets a value it can store, then the route answers as usual', async () => {
    const res = await fetch(`${server.url}/echo/caf%C3%A9`);
    expect(await res.json()).toEqual({ value: 'café' });
  });
});

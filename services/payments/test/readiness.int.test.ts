import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgres, waitFor, type PostgresServer } from '@firedrill/lab-infra';
import { chargeBody, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

/** This file stops and restarts Postgres, so it runs its own instead of the shared test server. */
describe('payments health when Postgres goes away and comes back', () => {
  let dir: string;
  let port: number;
  let postgres: PostgresServer;
  let payments: TestPayments;

  const startOwnPostgres = () => startPostgres({ dataDir: path.join(dir, 'postgres'), port, logFile: path.join(dir, 'postgres.log'), ephemeral: true });
  const ready = () => fetch(`${payments.url}/payments/health/ready`);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-payments-ready-'));
    chmodSync(dir, 0o755); // the cluster's owner (`postgres` when we are root) must traverse it
    port = await freePort();
    postgres = await startOwnPostgres();
    await postgres.createDatabase('shop');
    payments = await startTestPayments({ DATABASE_URL: postgres.url('shop') });
  });

  afterAll(async () => {
    await payments?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when Postgres is up, then live and ready answer 200 with the check and its latency', async () => {
    expect((await fetch(`${payments.url}/payments/health/live`)).status).toBe(200);
    const res = await ready();
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ready', checks: { postgres: { ok: true, latencyMs: expect.any(Number) } } });
  });

  it('when Postgres stops, then ready answers 503 with the failure, live stays 200 and charges get 503 dependency_unavailable', async () => {
    await postgres.stop();

    const res = await ready();
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body).toMatchObject({ status: 'unavailable', checks: { postgres: { ok: false } } });
    expect(body.checks.postgres.error).toEqual(expect.any(String));
    expect(body.checks.postgres.error.length).toBeGreaterThan(0);

    expect((await fetch(`${payments.url}/payments/health/live`)).status).toBe(200);

    const charge = await postCharge(payments.url, chargeBody());
    expect(charge.status).toBe(503);
    expect(charge.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(charge)).code).toBe('dependency_unavailable');
  });

  it('when Postgres comes back on the same port and data, then ready returns to 200 and charges work again', async () => {
    postgres = await startOwnPostgres();

    await waitFor('payments to be ready again', async () => (await ready()).status === 200, { timeoutMs: 15_000, intervalMs: 200 });
    const charge = await postCharge(payments.url, chargeBody());
    expect(charge.status).toBe(201);
  });
});

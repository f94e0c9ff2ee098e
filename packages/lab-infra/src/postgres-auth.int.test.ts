import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { passwordHba } from './postgres-auth.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'postgres-auth-'));
chmodSync(dir, 0o755); // as root the cluster belongs to `postgres`, which must reach its data dir
const dataDir = path.join(dir, 'data');
let server: PostgresServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function connects(url: string): Promise<true | string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('a Postgres cluster made with trust auth, started again with a superuser password (an older lab at `lab up`)', () => {
  const password = 'x'.repeat(10) + Math.random().toString(36).slice(2);

  it('when started with the password, then a client without it is refused, one with it connects, and pg_hba.conf is ours', async () => {
    const port = await freePort();
    const logFile = path.join(dir, 'postgres.log');
    // First life: as the test infrastructure and older labs made it, trust on loopback.
    server = await startPostgres({ dataDir, port, logFile, ephemeral: true });
    expect(await connects(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe(true);
    await server.stop();

    server = await startPostgres({ dataDir, port, logFile, ephemeral: true, superuserPassword: password });
    expect(await connects(`postgres://postgres@127.0.0.1:${port}/postgres`)).toMatch(/password/);
    expect(await connects(`postgres://postgres:wrong-${password}@127.0.0.1:${port}/postgres`)).toMatch(/password authentication failed/);
    expect(await connects(server.url('postgres'))).toBe(true);
    expect(readFileSync(path.join(dataDir, 'pg_hba.conf'), 'utf8')).toBe(passwordHba);
    // The password went in as a SCRAM verifier: the server's log never saw it.
    expect(readFileSync(logFile, 'utf8')).not.toContain(password);
  }, 60_000);
});

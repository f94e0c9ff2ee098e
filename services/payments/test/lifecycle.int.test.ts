import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort, waitFor } from '@firedrill/lab-infra';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { chargeBody, postCharge, startTestPayments } from './helpers/payments-fixture.ts';

/** A port something else already listens on, so a service cannot take it. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** Connections to `databaseUrl`'s database other than the asking one. */
async function connectionsTo(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

const mainTs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');

describe('payments lifecycle', () => {
  it('when close() is called during a charge, then the charge still completes and the port stops answering', async () => {
    const payments = await startTestPayments({ GATEWAY_LATENCY_MEDIAN_MS: '300' });
    const inFlight = postCharge(payments.url, chargeBody());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await payments.close();

    expect((await inFlight).status).toBe(201);
    await expect(fetch(`${payments.url}/payments/health/live`)).rejects.toThrow();
  });

  it('when main.ts is started with an environment and sent SIGTERM, then it serves, then exits cleanly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [mainTs], {
      env: { ...process.env, PORT: String(port), DATABASE_URL: await createTestDatabase('payments_main'), LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('payments main to be ready', async () => (await fetch(`http://127.0.0.1:${port}/payments/health/ready`)).status === 200, {
        timeoutMs: 20_000,
        intervalMs: 200,
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('payments listening');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('when the configuration is invalid, then main.ts exits with an error naming the variable', async () => {
    const child = spawn(process.execPath, [mainTs], { env: { ...process.env, GATEWAY_DECLINE_RATE: '7' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(output).toContain('GATEWAY_DECLINE_RATE');
  });

  it('when start-up fails after the pool was opened (its port is taken), then every connection it opened is closed', async () => {
    const databaseUrl = await createTestDatabase('payments_failed_start');
    const { port, server } = await occupiedPort();
    try {
      await expect(startTestPayments({ DATABASE_URL: databaseUrl, PORT: String(port) })).rejects.toThrow(/EADDRINUSE/);
      // The migrations ran through the pool, so it had connections; a failed start ends them.
      expect(await connectionsTo(databaseUrl)).toBe(0);
    } finally {
      server.close();
    }
  });

  it('when main.ts cannot start (its port is taken), then it logs one fatal line saying why and exits 1', async () => {
    const { port, server } = await occupiedPort();
    try {
      const child = spawn(process.execPath, [mainTs], {
        env: { ...process.env, PORT: String(port), DATABASE_URL: await createTestDatabase('payments_main_fail'), LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      const fatal = output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: string; msg: string; err?: { message: string } })
        .filter((l) => l.level === 'fatal');
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatchObject({ msg: 'payments failed to start' });
      expect(fatal[0]!.err!.message).toContain('EADDRINUSE');
    } finally {
      server.close();
    }
  });
});

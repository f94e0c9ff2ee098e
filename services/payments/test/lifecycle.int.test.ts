import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@firedrill/lab-infra';
import { createTestDatabase } from '@firedrill/lab-infra/testing';
import { chargeBody, postCharge, startTestPayments } from './helpers/payments-fixture.ts';

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
});

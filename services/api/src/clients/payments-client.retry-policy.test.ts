import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createRegistry } from '@firedrill/kit';
import { createApiMetrics } from '../metrics.ts';
import { PaymentsUnavailableError, createPaymentsClient } from './payments-client.ts';

/** A payments stand-in that is always failing (503), counting the calls it gets. */
let calls = 0;
let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    calls++;
    res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"code":"dependency_unavailable"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const charge = { orderId: 'ord_1', amountCents: 100, currency: 'EUR', customer: { email: 'a@approve.test' } };

async function chargeOnce(retryPolicy?: () => { attempts: number; backoffMs: number } | undefined) {
  const registry = createRegistry('api');
  const metrics = createApiMetrics(registry);
  const client = createPaymentsClient({ baseUrl, timeoutMs: 1_000, attempts: 3, backoffMs: 1, logger: createLogger('t', 'silent'), metrics, retryPolicy });
  calls = 0;
  const error = await client.charge(charge, 'key-1').catch((err: unknown) => err);
  const attempts = (await metrics.chargeAttempts.get()).values;
  return {
    error,
    calls,
    sum: attempts.find((v) => v.metricName === 'shop_payment_charge_attempts_sum')?.value,
    count: attempts.find((v) => v.metricName === 'shop_payment_charge_attempts_count')?.value,
  };
}

describe('payments client: the retry policy it is given', () => {
  it('when no other policy is imposed, then a failing charge makes its own attempts and says so', async () => {
    const result = await chargeOnce(() => undefined);
    expect(result.error).toBeInstanceOf(PaymentsUnavailableError);
    expect((result.error as Error).message).toContain('after 3 attempt(s)');
    expect(result).toMatchObject({ calls: 3, sum: 3, count: 1 });
  });

  it('when a policy of 7 attempts is imposed, then the charge makes 7 calls and attempts per charge shows it', async () => {
    const result = await chargeOnce(() => ({ attempts: 7, backoffMs: 0 }));
    expect((result.error as Error).message).toContain('after 7 attempt(s)');
    expect(result).toMatchObject({ calls: 7, sum: 7, count: 1 });
  });
});

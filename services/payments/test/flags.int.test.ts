/**
 * The payments flags against the real service (real Postgres), fed by a stand-in of the lab's
 * flags API: the fraud check costs its time on every charge while on and nothing while off; the
 * secondary gateway takes charges the failing primary cannot, with its own behaviour, health and
 * metric series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@firedrill/kit';
import { FlagsServer, waitFor } from '@firedrill/lab-infra';
import type { GatewayFault } from '../src/index.ts';
import { chargeBody, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

const fraudCheckMs = 300;

describe('payments flags', () => {
  let lab: FlagsServer;
  let payments: TestPayments;
  const lines: Array<Record<string, unknown>> = [];
  /** The primary gateway fails every charge while set (the chaos agent's payment-failures fault acts here). */
  let primaryFault: GatewayFault | undefined;

  const status = async () => json(await fetch(`${payments.url}/payments/gateway/status`));
  /** Sets flags in the lab and waits until payments acts on them (its status names the gateway in use). */
  async function setFlags(flags: Record<string, boolean>) {
    lab.set(flags);
    const gateway = flags['payments.secondary-gateway'] ? 'secondary' : 'primary';
    await waitFor(`payments on the ${gateway} gateway`, async () => (await status()).gateway === gateway, { timeoutMs: 5_000, intervalMs: 50 });
  }
  async function timedCharge(email: string) {
    const started = performance.now();
    const res = await postCharge(payments.url, chargeBody({ customer: { email } }));
    return { res, ms: performance.now() - started, body: await json(res) };
  }
  const outcomeLine = (chargeId: string) => lines.find((l) => l.chargeId === chargeId && typeof l.msg === 'string' && l.msg.startsWith('charge'));

  beforeAll(async () => {
    lab = await FlagsServer.start();
    const logger = createLogger('payments', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    payments = await startTestPayments(
      {
        ...lab.serviceEnv(),
        FRAUD_CHECK_MS: String(fraudCheckMs),
        GATEWAY_TIMEOUT_MS: '1000',
        // The secondary declines every ordinary card: its own behaviour, not the primary's.
        SECONDARY_GATEWAY_DECLINE_RATE: '1',
        SECONDARY_GATEWAY_LATENCY_MEDIAN_MS: '5',
        SECONDARY_GATEWAY_LATENCY_SIGMA: '0',
      },
      { logger, gatewayFaults: () => primaryFault },
    );
  });
  afterAll(async () => {
    await payments?.close();
    await lab?.close();
  });

  it('when payments.fraud-check is on, then every charge is scored before the gateway and takes FRAUD_CHECK_MS longer; off, it is not', async () => {
    lab.set({ 'payments.fraud-check': true });
    await waitFor(
      'a scored charge',
      async () => {
        const { res, body } = await timedCharge('ada@approve.test');
        return res.status === 201 && outcomeLine(body.id)?.fraudScore !== undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    const scored = await timedCharge('ada@approve.test');
    expect(scored.res.status).toBe(201);
    expect(scored.ms).toBeGreaterThanOrEqual(fraudCheckMs);
    expect(outcomeLine(scored.body.id)).toMatchObject({ gateway: 'primary', fraudScore: expect.any(Number) });

    lab.set({ 'payments.fraud-check': false });
    await waitFor(
      'an unscored charge',
      async () => {
        const { body } = await timedCharge('ada@approve.test');
        return outcomeLine(body.id) !== undefined && outcomeLine(body.id)!.fraudScore === undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    const unscored = await timedCharge('ada@approve.test');
    expect(unscored.res.status).toBe(201);
    // The gateway answers in 5 ms here: without the scorer a charge is far below its cost.
    expect(unscored.ms).toBeLessThan(fraudCheckMs);
  });

  it('when the primary gateway fails and payments.secondary-gateway is turned on, then charges go through the secondary, with its own health and metrics', async () => {
    primaryFault = { mode: 'gateway-error' };
    for (let i = 0; i < 6; i++) {
      const { res, body } = await timedCharge('ada@approve.test');
      expect(res.status).toBe(502);
      expect(body.code).toBe('gateway_error');
    }
    // Degraded or down, depending on how many charges the first test left in its window.
    const troubled = expect.stringMatching(/^(degraded|down)$/);
    expect(await status()).toMatchObject({ gateway: 'primary', status: troubled, gateways: { secondary: { charges: { approved: 0 } } } });

    await setFlags({ 'payments.secondary-gateway': true });
    const approved = await timedCharge('ada@approve.test');
    expect(approved.res.status).toBe(201);
    expect(outcomeLine(approved.body.id)).toMatchObject({ gateway: 'secondary', status: 'approved' });
    // The secondary's own decline rate (1 here) applies to ordinary cards; the primary's (0) does not.
    const declined = await timedCharge('bob@example.com');
    expect(declined.res.status).toBe(402);
    for (let i = 0; i < 4; i++) expect((await timedCharge('ada@approve.test')).res.status).toBe(201);

    const now = await status();
    // The top level describes the gateway in use; the primary is still seen as it is.
    expect(now).toMatchObject({ gateway: 'secondary', status: 'operational', charges: { approved: 5, declined: 1, failed: 0 } });
    expect(now.gateways.primary).toMatchObject({ status: troubled, charges: { failed: 6 } });

    const metrics = await (await fetch(`${payments.url}/metrics`)).text();
    expect(metrics).toMatch(/payment_processed_total\{gateway="secondary",status="approved",reason="none"[^}]*\} 5/);
    expect(metrics).toMatch(/payment_processed_total\{gateway="primary",status="failed",reason="gateway_error"[^}]*\} 6/);

    await setFlags({ 'payments.secondary-gateway': false });
    expect((await timedCharge('ada@approve.test')).res.status).toBe(502);
    primaryFault = undefined;
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayFault } from '../src/index.ts';
import { chargeBody, json, postCharge, startTestPayments, type TestPayments } from './helpers/payments-fixture.ts';

describe('GET /payments/gateway/status and /metrics', () => {
  let payments: TestPayments;
  let fault: GatewayFault | undefined;

  const status = async () => json(await fetch(`${payments.url}/payments/gateway/status`));
  const charge = async (email: string, times = 1) => {
    for (let i = 0; i < times; i++) await postCharge(payments.url, chargeBody({ customer: { email } }));
  };

  beforeAll(async () => {
    payments = await startTestPayments({}, { gatewayFaults: () => fault });
  });
  afterAll(() => payments?.close());

  it('when no charge has been made, then the gateway is operational with an empty window', async () => {
    const empty = { status: 'operational', windowSeconds: 60, charges: { approved: 0, declined: 0, failed: 0 }, latencyMs: { p50: null, p95: null } };
    // Without the lab's flags, charges go to the primary gateway; the top level describes it.
    expect(await status()).toEqual({ ...empty, gateway: 'primary', gateways: { primary: empty, secondary: empty } });
  });

  it('when charges are approved and declined, then they are counted and the gateway stays operational', async () => {
    await charge('a@approve.test', 6);
    await charge('b@decline.test', 4);
    const body = await status();
    expect(body).toMatchObject({ status: 'operational', charges: { approved: 6, declined: 4, failed: 0 } });
    expect(body.latencyMs.p50).toEqual(expect.any(Number));
    expect(body.latencyMs.p95).toEqual(expect.any(Number));
  });

  it('when a replay is answered from storage, then it is not counted as a new outcome', async () => {
    const body = chargeBody({ customer: { email: 'c@approve.test' } });
    await postCharge(payments.url, body, { idempotencyKey: 'replayed-key' });
    await postCharge(payments.url, body, { idempotencyKey: 'replayed-key' });
    expect((await status()).charges.approved).toBe(7);
  });

  it('when some charges fail at the card network, then the gateway is degraded', async () => {
    fault = { mode: 'gateway-error' };
    await charge('a@approve.test', 1);
    fault = undefined;
    expect(await status()).toMatchObject({ status: 'degraded', charges: { approved: 7, declined: 4, failed: 1 } });
  });

  it('when most charges fail, then the gateway is down', async () => {
    fault = { mode: 'unreachable' };
    await charge('a@approve.test', 12);
    fault = undefined;
    expect(await status()).toMatchObject({ status: 'down', charges: { failed: 13 } });
  });

  it('when /metrics is scraped, then payment_processed_total counts outcomes by gateway, status and reason', async () => {
    const res = await fetch(`${payments.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const value = (status: string, reason: string) => {
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('payment_processed_total{') && l.includes('gateway="primary"') && l.includes(`status="${status}"`) && l.includes(`reason="${reason}"`),
        );
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(value('approved', 'none')).toBe(7);
    expect(value('declined', 'card_declined')).toBe(4);
    expect(value('declined', 'insufficient_funds')).toBe(0);
    expect(value('failed', 'gateway_error')).toBe(1);
    expect(value('failed', 'gateway_unreachable')).toBe(12);
    expect(value('failed', 'gateway_timeout')).toBe(0);
    expect(text).toMatch(/payment_gateway_duration_seconds_count\{[^}]*gateway="primary"[^}]*status="approved"[^}]*\} 7/);
    // The secondary gateway took no charge: its series exist, at 0.
    expect(text).toMatch(/payment_processed_total\{[^}]*gateway="secondary"[^}]*status="approved"[^}]*\} 0/);
    expect(text).toMatch(/shop_build_info\{service="payments",version="2\.3\.0"\} 1/);
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/payments\/charges"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

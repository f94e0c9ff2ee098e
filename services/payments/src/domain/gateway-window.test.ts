import { describe, expect, it } from 'vitest';
import { GatewayWindow, type ChargeOutcomeStatus } from './gateway-window.ts';

function windowWithClock() {
  let now = 1_000_000;
  const window = new GatewayWindow(() => now);
  return {
    window,
    advance: (ms: number) => {
      now += ms;
    },
    record: (status: ChargeOutcomeStatus, count: number, latencyMs = 20) => {
      for (let i = 0; i < count; i++) window.record(status, latencyMs);
    },
  };
}

describe('gateway window', () => {
  it('when nothing has been charged, then the gateway is operational with empty counts and no latency', () => {
    expect(new GatewayWindow().status()).toEqual({
      status: 'operational',
      windowSeconds: 60,
      charges: { approved: 0, declined: 0, failed: 0 },
      latencyMs: { p50: null, p95: null },
    });
  });

  it('when charges are approved and declined quickly, then it is operational and counts each outcome', () => {
    const { window, record } = windowWithClock();
    record('approved', 90);
    record('declined', 10);
    expect(window.status()).toMatchObject({ status: 'operational', charges: { approved: 90, declined: 10, failed: 0 } });
  });

  it('when many charges are declined, then it stays operational: declines are normal business', () => {
    const { window, record } = windowWithClock();
    record('declined', 80);
    record('approved', 20);
    expect(window.status().status).toBe('operational');
  });

  it('when more than 5 % of charges fail, then it is degraded', () => {
    const { window, record } = windowWithClock();
    record('approved', 94);
    record('failed', 6);
    expect(window.status().status).toBe('degraded');
  });

  it('when exactly 5 % of charges fail, then it is still operational', () => {
    const { window, record } = windowWithClock();
    record('approved', 95);
    record('failed', 5);
    expect(window.status().status).toBe('operational');
  });

  it('when more than half of the charges fail, then it is down', () => {
    const { window, record } = windowWithClock();
    record('approved', 4);
    record('failed', 6);
    expect(window.status().status).toBe('down');
  });

  it('when fewer than 5 charges were made, then a failure does not change the verdict', () => {
    const { window, record } = windowWithClock();
    record('failed', 4);
    expect(window.status()).toMatchObject({ status: 'operational', charges: { failed: 4 } });
  });

  it('when the p95 latency is above 1 s, then it is degraded even with no failures', () => {
    const { window, record } = windowWithClock();
    record('approved', 90, 50);
    record('approved', 10, 1_200);
    expect(window.status()).toMatchObject({ status: 'degraded', latencyMs: { p50: 50, p95: 1_200 } });
  });

  it('when latencies vary, then p50 and p95 are the nearest-rank percentiles', () => {
    const { window } = windowWithClock();
    for (let ms = 1; ms <= 100; ms++) window.record('approved', ms);
    expect(window.status().latencyMs).toEqual({ p50: 50, p95: 95 });
  });

  it('when outcomes are older than 60 s, then they leave the window and the gateway recovers', () => {
    const { window, record, advance } = windowWithClock();
    record('failed', 20);
    expect(window.status().status).toBe('down');
    advance(30_000);
    record('approved', 10);
    advance(30_001);
    expect(window.status()).toMatchObject({ status: 'operational', charges: { approved: 10, declined: 0, failed: 0 } });
  });

  it('when thousands of outcomes expire, then only the last minute is counted', () => {
    const { window, record, advance } = windowWithClock();
    for (let second = 0; second < 180; second++) {
      advance(1_000);
      record('approved', 50);
    }
    expect(window.status().charges.approved).toBe(60 * 50);
  });
});

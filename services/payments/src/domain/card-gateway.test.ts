import { describe, expect, it } from 'vitest';
import { createCardGateway, GatewayError, sampleLatencyMs, type CardGatewayOptions, type GatewayOutcome } from './card-gateway.ts';

/** mulberry32: a tiny seeded PRNG, so every run sees the same "random" charges. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gateway(overrides: Partial<CardGatewayOptions> = {}) {
  const slept: number[] = [];
  const instance = createCardGateway({
    declineRate: 0.03,
    latencyMedianMs: 20,
    latencySigma: 0.5,
    timeoutMs: 1_500,
    random: seededRandom(42),
    sleep: async (ms) => void slept.push(ms),
    ...overrides,
  });
  return { gateway: instance, slept };
}

const charge = (customerEmail: string, idempotencyKey = 'k') => ({ idempotencyKey, amountCents: 2490, currency: 'EUR', customerEmail });

async function chargeMany(count: number, options: Partial<CardGatewayOptions>): Promise<GatewayOutcome[]> {
  const { gateway: g } = gateway(options);
  const outcomes: GatewayOutcome[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await g.charge(charge(`shopper${i}@example.com`)));
  return outcomes;
}

describe('card gateway', () => {
  it('when the customer is at decline.test, then every charge is declined with card_declined', async () => {
    const { gateway: g } = gateway({ declineRate: 0 });
    for (let i = 0; i < 50; i++) {
      expect(await g.charge(charge(`someone${i}@decline.test`))).toEqual({ status: 'declined', reason: 'card_declined' });
    }
  });

  it('when the customer is at approve.test, then every charge is approved even at a 100 % decline rate', async () => {
    const { gateway: g } = gateway({ declineRate: 1 });
    for (let i = 0; i < 50; i++) {
      expect(await g.charge(charge(`Someone${i}@Approve.Test`))).toEqual({ status: 'approved', reason: null });
    }
  });

  it('when ordinary customers pay at a 10 % decline rate, then about 10 % are declined with a mix of reasons', async () => {
    const outcomes = await chargeMany(10_000, { declineRate: 0.1 });
    const declined = outcomes.filter((o) => o.status === 'declined');
    expect(declined.length / outcomes.length).toBeGreaterThan(0.09);
    expect(declined.length / outcomes.length).toBeLessThan(0.11);
    const reasons = new Set(declined.map((o) => o.reason));
    expect(reasons).toEqual(new Set(['card_declined', 'insufficient_funds', 'expired_card']));
  });

  it('when the decline rate is 0, then every ordinary charge is approved', async () => {
    const outcomes = await chargeMany(1_000, { declineRate: 0 });
    expect(outcomes.every((o) => o.status === 'approved')).toBe(true);
  });

  it('when latency is sampled many times, then its median is the configured median and the cap holds', () => {
    const random = seededRandom(7);
    const samples = Array.from({ length: 20_001 }, () => sampleLatencyMs({ latencyMedianMs: 20, latencySigma: 0.5 }, random)).sort((a, b) => a - b);
    const median = samples[10_000]!;
    expect(median).toBeGreaterThan(19);
    expect(median).toBeLessThan(21);
    // A long right tail: the p99 of a log-normal with sigma 0.5 is about 3.2× the median.
    expect(samples[19_800]! / median).toBeGreaterThan(2.8);
    expect(samples[19_800]! / median).toBeLessThan(3.6);
    const wild = Array.from({ length: 5_000 }, () => sampleLatencyMs({ latencyMedianMs: 20, latencySigma: 3 }, random));
    expect(Math.max(...wild)).toBeLessThanOrEqual(400);
  });

  it('when sigma is 0, then every charge waits exactly the median', async () => {
    const { gateway: g, slept } = gateway({ latencySigma: 0, latencyMedianMs: 35 });
    for (let i = 0; i < 5; i++) await g.charge(charge('a@example.com'));
    expect(slept).toEqual([35, 35, 35, 35, 35]);
  });

  it('when the network would answer after the timeout, then the charge gives up at the timeout with a timeout error', async () => {
    const { gateway: g, slept } = gateway({ latencySigma: 0, latencyMedianMs: 3_000, timeoutMs: 1_500 });
    const error = await g.charge(charge('a@example.com')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).kind).toBe('timeout');
    expect(slept).toEqual([1_500]);
  });

  describe('faults hook (the chaos agent’s extension point)', () => {
    it('when no fault is returned, then the network decides as usual', async () => {
      const { gateway: g } = gateway({ faults: () => undefined });
      expect(await g.charge(charge('a@approve.test'))).toEqual({ status: 'approved', reason: null });
    });

    it('when a declined fault is returned, then even a test customer who always approves is declined', async () => {
      const { gateway: g } = gateway({ faults: () => ({ mode: 'declined', reason: 'insufficient_funds' }) });
      expect(await g.charge(charge('a@approve.test'))).toEqual({ status: 'declined', reason: 'insufficient_funds' });
    });

    it('when gateway-error, timeout or unreachable is returned, then the charge fails with that kind', async () => {
      const kinds = [] as string[];
      for (const mode of ['gateway-error', 'timeout', 'unreachable'] as const) {
        const { gateway: g } = gateway({ faults: () => ({ mode }) });
        const error = await g.charge(charge('a@approve.test')).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(GatewayError);
        kinds.push((error as GatewayError).kind);
      }
      expect(kinds).toEqual(['error', 'timeout', 'unreachable']);
    });

    it('when the connection is refused, then the charge fails at once without waiting for the network', async () => {
      const { gateway: g, slept } = gateway({ faults: () => ({ mode: 'unreachable' }) });
      await g.charge(charge('a@example.com')).catch(() => {});
      expect(slept).toEqual([]);
    });
  });
});

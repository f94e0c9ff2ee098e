import { describe, expect, it } from 'vitest';
import { pickAndPackMs } from './fulfil-order-job.ts';

describe('pickAndPackMs', () => {
  it('when the median is 0, then orders are packed at once', () => {
    expect(pickAndPackMs(0)).toBe(0);
  });

  // Seeded, so the figures below are the same on every run; the bounds are the log-normal's own
  // (sigma 0.4): about 68 % within e^±0.4 of the median, about 4 % beyond twice it.
  const seeded = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const share = (times: number[], keep: (t: number) => boolean) => times.filter(keep).length / times.length;

  it('when many orders are packed, then half take less than the median and most take close to it', () => {
    const random = seeded(42);
    const times = Array.from({ length: 2000 }, () => pickAndPackMs(100, random));

    expect(share(times, (t) => t < 100)).toBeGreaterThan(0.45);
    expect(share(times, (t) => t < 100)).toBeLessThan(0.55);
    expect(share(times, (t) => t >= 67 && t <= 149)).toBeGreaterThan(0.63);
    expect(share(times, (t) => t >= 67 && t <= 149)).toBeLessThan(0.73);
  });

  it('when many orders are packed, then a few take more than twice the median but none runs away', () => {
    const random = seeded(7);
    const times = Array.from({ length: 2000 }, () => pickAndPackMs(100, random));

    expect(share(times, (t) => t > 200)).toBeGreaterThan(0.02);
    expect(share(times, (t) => t > 200)).toBeLessThan(0.07);
    // e^(0.4 × 4.5) ≈ 6: beyond that would take a draw 4.5 standard deviations out.
    expect(Math.max(...times)).toBeLessThan(600);
    expect(Math.min(...times)).toBeGreaterThan(100 / 6);
  });
});

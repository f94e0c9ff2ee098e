import { describe, expect, it } from 'vitest';
import { pickAndPackMs } from './fulfil-order-job.ts';

describe('pickAndPackMs', () => {
  it('when the median is 0, then orders are packed at once', () => {
    expect(pickAndPackMs(0)).toBe(0);
  });

  it('when many orders are packed, then half take less than the median and none is negative', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const times = Array.from({ length: 2000 }, () => pickAndPackMs(100, random));
    const belowMedian = times.filter((t) => t < 100).length / times.length;
    expect(belowMedian).toBeGreaterThan(0.45);
    expect(belowMedian).toBeLessThan(0.55);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
  });
});

import { describe, expect, it } from 'vitest';
import { shellRateLimit } from './shell-rate-limit.ts';

describe('the shell commands rate limit', () => {
  it('when a caller sends its burst at once, then the next line is refused until the bucket refills, and another caller is unaffected', () => {
    let t = 0;
    const limit = shellRateLimit({ perSecond: 2, burst: 3, now: () => t });
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, true, false]);
    expect(limit.take('b')).toBe(true);
    t = 499;
    expect(limit.take('a')).toBe(false);
    t = 500;
    expect(limit.take('a')).toBe(true);
    t = 100_000;
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, true, false]);
  });
});

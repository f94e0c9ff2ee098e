import { describe, expect, it } from 'vitest';
import { refusal } from './flags.ts';

describe('payment flags the api refuses', () => {
  it('when the values are within the limits and a charge call ends before the grace period, then they are honoured', () => {
    expect(refusal({ timeoutMs: 500, attempts: 2 }, 120_000)).toBeUndefined();
  });

  it.each([
    [{ timeoutMs: 10, attempts: 1 }, /timeoutMs/],
    [{ timeoutMs: 1000.5, attempts: 1 }, /timeoutMs/],
    [{ timeoutMs: 1000, attempts: 0 }, /attempts/],
    [{ timeoutMs: 1000, attempts: 11 }, /attempts/],
    [{ timeoutMs: 60_000, attempts: 10 }, /RECONCILE_GRACE_MS/],
  ])('when the flags ask for %o, then they are refused, saying why', (wanted, why) => {
    expect(refusal(wanted, 120_000)).toMatch(why);
  });
});

import { describe, expect, it } from 'vitest';
import { retry } from './retry.ts';

const options = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4, random: () => 0.5 };

describe('retry', () => {
  it('when a retryable failure clears, then the later result is returned', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
      { ...options, retryable: () => true },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('when a failure is not retryable, then it is thrown at once', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('declined');
        },
        { ...options, retryable: () => false },
      ),
    ).rejects.toThrow('declined');
    expect(calls).toBe(1);
  });

  it('when every attempt fails, then the last error is thrown after exactly `attempts` tries with capped, jittered delays', async () => {
    const delays: number[] = [];
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { ...options, retryable: () => true, onRetry: (_e, _a, d) => delays.push(d) },
      ),
    ).rejects.toThrow('fail 4');
    expect(calls).toBe(4);
    // base 1 ms doubling (1, 2, 4) capped at 4, times the jitter draw 0.5
    expect(delays).toEqual([1, 1, 2]);
  });
});

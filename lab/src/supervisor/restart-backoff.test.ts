import { describe, expect, it } from 'vitest';
import { nextCrashStreak, restartDelayMs } from './restart-backoff.ts';

describe('restartDelayMs', () => {
  it('when a process keeps crashing, then the wait doubles from 1 s and stops growing at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((streak) => restartDelayMs(streak))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('nextCrashStreak', () => {
  it('when a process dies soon after starting, then its crash streak grows', () => {
    expect(nextCrashStreak(3, 2_000)).toBe(4);
  });

  it('when a process ran for a minute before it died, then the next restart comes after the shortest wait', () => {
    expect(restartDelayMs(nextCrashStreak(6, 60_000))).toBe(1_000);
  });
});

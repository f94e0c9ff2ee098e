import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['45', 45_000],
    [30, 30_000],
  ])('when given %j, then it is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', 'ten minutes', '10x', '-5m', '0', 0, Number.NaN])('when given %j, then it is unreadable', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('when formatted, then durations read naturally', () => {
    expect([formatDuration(45_000), formatDuration(600_000), formatDuration(630_000), formatDuration(7_200_000)]).toEqual(['45s', '10m', '10m30s', '2h']);
  });
});

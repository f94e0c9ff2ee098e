import { describe, expect, it } from 'vitest';
import { formatValue, minutesAndSeconds, nextUpdate, secondsLeft } from './figures.ts';

const update = (at: string, kind: string, nextUpdateMinutes: number | null) => ({
  at,
  actor: 'trainee:grace',
  kind,
  text: 't',
  impact: null,
  nextUpdateMinutes,
});

describe('the figures the console writes out', () => {
  it('when a chart value is written, then its unit reads as a person says it', () => {
    expect(formatValue(0.0473, 's')).toBe('47 ms');
    expect(formatValue(2.5, 's')).toBe('2.50 s');
    expect(formatValue(0.0123, 'percentunit')).toBe('1.2 %');
    expect(formatValue(12.345, 'reqps')).toBe('12.3 req/s');
    expect(formatValue(3, 'short')).toBe('3');
    expect(formatValue(4.256, 'short')).toBe('4.26');
  });

  it('when the last update promised 15 minutes, then the next is due 15 minutes after its recorded time, and overdue after', () => {
    const last = update('2026-11-29T10:00:00.000Z', 'ack', 15);
    expect(nextUpdate(last, Date.parse('2026-11-29T10:02:26.000Z'))).toEqual({ state: 'due', seconds: 754 });
    expect(nextUpdate(last, Date.parse('2026-11-29T10:15:00.000Z'))).toEqual({ state: 'due', seconds: 0 });
    expect(nextUpdate(last, Date.parse('2026-11-29T10:16:30.000Z'))).toEqual({ state: 'overdue', seconds: 90 });
    expect(minutesAndSeconds(754)).toBe('12:34');
  });

  it('when nothing was posted, or the last update was the resolution or promised nothing, then no countdown runs', () => {
    const now = Date.parse('2026-11-29T10:00:00.000Z');
    expect(nextUpdate(null, now)).toEqual({ state: 'none-yet' });
    expect(nextUpdate(update('2026-11-29T09:00:00.000Z', 'resolution', 15), now)).toEqual({ state: 'none-promised' });
    expect(nextUpdate(update('2026-11-29T09:00:00.000Z', 'update', null), now)).toEqual({ state: 'none-promised' });
  });

  it('when memory is written, then it is in binary units', () => {
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(123_456_789, 'bytes')).toBe('117.7 MiB');
    expect(formatValue(3 * 1024 ** 3, 'bytes')).toBe('3.0 GiB');
  });

  it("when the next hint was 30 s away at the API's answer, then the page counts down from that answer and stops at 0", () => {
    const answeredAt = Date.parse('2026-01-01T10:00:00.000Z');
    expect(secondsLeft(30, answeredAt, answeredAt)).toBe(30);
    expect(secondsLeft(30, answeredAt, answeredAt + 1_000)).toBe(29);
    expect(secondsLeft(30, answeredAt, answeredAt + 29_500)).toBe(1);
    expect(secondsLeft(30, answeredAt, answeredAt + 45_000)).toBe(0);
  });
});

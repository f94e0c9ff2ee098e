import { describe, expect, it } from 'vitest';
import { eventSummary } from './event-summary.ts';

describe("the timeline's lines for the instructor's hold on a run", () => {
  it('when a run is paused, resumed and extended, then each line says where the timeline stood and for how long', () => {
    expect(eventSummary({ kind: 'run.paused', data: { elapsedMs: 90_000 } })).toBe('timeline paused at 1m30s into the run');
    expect(eventSummary({ kind: 'run.resumed', data: { pausedForMs: 300_000 } })).toBe('timeline resumed after 5m paused');
    expect(eventSummary({ kind: 'run.extended', data: { minutes: 5, timeboxMs: 900_000 } })).toBe('timebox extended by 5 min (now 15m)');
  });
});

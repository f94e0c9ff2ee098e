import { describe, expect, it } from 'vitest';
import { detachedLines, exitCodeFor, outcomeLine } from './run-outcome.ts';
import type { Run } from '@firedrill/training';

const run: Run = {
  id: 'run-3',
  scenario: 'lab1-high-latency',
  title: 'Checkout is slow',
  state: 'resolved',
  reason: 'every cause ended and the probes held 1m',
  seed: 1,
  speed: 1,
  blind: false,
  team: null,
  createdAt: '2026-05-04T09:00:00.000Z',
  liveAt: '2026-05-04T09:00:40.000Z',
  endedAt: '2026-05-04T09:12:10.000Z',
  briefing: null,
};

describe('how a watched run ends', () => {
  it('when a run ends, then only resolved exits 0; timed out, stopped, refused and failed exit 1', () => {
    expect((['resolved', 'timed_out', 'stopped', 'refused', 'failed'] as const).map((state) => exitCodeFor({ state }))).toEqual([0, 1, 1, 1, 1]);
  });

  it('when it is resolved, then the last line says so, how long it was live and why', () => {
    expect(outcomeLine(run, false)).toBe('run run-3 resolved after 11:30 live: every cause ended and the probes held 1m');
    expect(outcomeLine(run, true)).toBe('\x1b[32mrun run-3 resolved after 11:30 live: every cause ended and the probes held 1m\x1b[39m');
  });

  it('when it was refused before going live, then the time counts from its creation and the reason names what failed', () => {
    const refused: Run = {
      ...run,
      state: 'refused',
      liveAt: null,
      endedAt: '2026-05-04T09:01:30.000Z',
      reason: 'the shop is unhealthy: api answers under 5% server errors',
    };

    expect(outcomeLine(refused, false)).toBe('run run-3 refused after 01:30: the shop is unhealthy: api answers under 5% server errors');
  });

  it('when the watch is left with Ctrl-C, then it says the run goes on and how to watch again or stop it', () => {
    expect(detachedLines('run-3')).toEqual([
      'lab: detached; run run-3 goes on (the lab owns it)',
      '  watch it again:  lab scenario watch run-3',
      '  stop it:         lab scenario stop',
    ]);
  });
});

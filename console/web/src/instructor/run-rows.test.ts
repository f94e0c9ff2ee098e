import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../run-events.ts';
import type { Run } from './instructor-types.ts';
import { clockOf, goingRuns, teamRows } from './run-rows.ts';

const run = (id: string, team: string | null, state: string): Run => ({
  id,
  scenario: 'lab1',
  title: 'Lab 1',
  state,
  team,
  createdAt: '2026-11-29T10:00:00.000Z',
  liveAt: null,
  endedAt: null,
});

const status = (id: string, over: Partial<RunStatus> = {}): RunStatus => ({
  id,
  state: 'live',
  phase: 'incident',
  elapsedMs: 200_000,
  liveForMs: 200_000,
  timeboxMs: 900_000,
  signals: { checkoutRate: null, errorRatio: null, p95Ms: null },
  firingAlerts: ['PaymentsLatencyHigh'],
  levers: [],
  probes: [],
  holdingForMs: 0,
  pausedAt: null,
  ...over,
});

describe('the runs table rows', () => {
  it("when teams have runs, then each row carries the team's newest run merged with its stream's status", () => {
    // Newest first, as GET /api/runs answers.
    const runs = [run('r3', 'blue', 'live'), run('r2', 'red', 'stopped'), run('r1', 'blue', 'resolved')];
    const rows = teamRows([{ name: 'blue' }, { name: 'red' }, { name: 'green' }], runs, { r3: status('r3', { pausedAt: '2026-11-29T10:03:00.000Z' }) });
    expect(rows.map((r) => [r.team, r.run?.id ?? null, r.state, r.phase, r.paused, r.clock, r.firingAlerts])).toEqual([
      ['blue', 'r3', 'live', 'incident', true, '3:20 / 15:00', ['PaymentsLatencyHigh']],
      ['red', 'r2', 'stopped', null, false, null, []],
      ['green', null, null, null, false, null, []],
    ]);
  });

  it('when a run was started for no team, then it gets a row of its own after the teams', () => {
    const rows = teamRows([{ name: 'blue' }], [run('r1', null, 'live')], {});
    expect(rows.map((r) => [r.team, r.run?.id ?? null])).toEqual([
      ['blue', null],
      [null, 'r1'],
    ]);
  });

  it("when the stream says the run ended, then the stream's state wins over the older list", () => {
    const rows = teamRows([{ name: 'blue' }], [run('r1', 'blue', 'live')], { r1: status('r1', { state: 'timed_out', phase: 'ended' }) });
    expect(rows[0]?.state).toBe('timed_out');
  });

  it('when the run is not live yet or has no timebox, then the clock says so', () => {
    expect(clockOf({ liveForMs: null, timeboxMs: 900_000 })).toBeNull();
    expect(clockOf({ liveForMs: 65_000, timeboxMs: null })).toBe('1:05');
  });

  it('when acting on every run, then only the warming and live ones count', () => {
    const runs = [run('a', 'blue', 'live'), run('b', 'red', 'warming'), run('c', 'green', 'live'), run('d', null, 'stopped')];
    expect(goingRuns(runs, { c: status('c', { state: 'resolved' }) }).map((r) => r.id)).toEqual(['a', 'b']);
  });
});

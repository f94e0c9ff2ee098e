import { describe, expect, it } from 'vitest';
import { leverBody, pickedTeam, runScope, runsOfTeam, withTeam, withTeamBody } from './team-scope.ts';

describe("the instructor's team in a class", () => {
  it('when a team is picked, then a path gets team= in its query (after any other parameter); without one it is unchanged', () => {
    expect(withTeam('/api/flags', 'blue')).toBe('/api/flags?team=blue');
    expect(withTeam('/console/charts/p95-latency?minutes=15', 'green')).toBe('/console/charts/p95-latency?minutes=15&team=green');
    expect(withTeam('/api/incident/status', null)).toBe('/api/incident/status');
    expect(withTeam('/api/incident/status', undefined)).toBe('/api/incident/status');
  });

  it("when a lever is pulled for a team, then its body names the team; a single lab's names none", () => {
    expect(leverBody('restart api', 'blue')).toEqual({ lever: 'restart api', team: 'blue' });
    expect(leverBody('restart api', null)).toEqual({ lever: 'restart api' });
    // A runbook step's record (the operator's pick) the same way.
    const step = { runbook: 'api-rollback', step: 'roll back the api', status: 'started', output: '' };
    expect(withTeamBody(step, 'red')).toEqual({ ...step, team: 'red' });
    expect(withTeamBody(step, null)).toEqual(step);
  });

  it('when the class is known, then the picker keeps the team picked while it exists and otherwise starts on the first; a single lab has none', () => {
    expect(pickedTeam(['blue', 'green'], null)).toBe('blue');
    expect(pickedTeam(['blue', 'green'], 'green')).toBe('green');
    expect(pickedTeam(['blue', 'green'], 'red')).toBe('blue');
    expect(pickedTeam([], 'blue')).toBeNull();
  });

  it("when the operator's page is about a class's team, then it shows that team's runs only; without a team every run it may read", () => {
    const runs = [
      { id: 'r3', team: 'green' },
      { id: 'r2', team: 'blue' },
      { id: 'r1', team: null },
    ];
    expect(runsOfTeam(runs, 'blue').map((r) => r.id)).toEqual(['r2']);
    expect(runsOfTeam(runs, 'red')).toEqual([]);
    expect(runsOfTeam(runs, null).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
  });

  it("when a run's requests are scoped, then a class's run names its team and a single lab's run none (its one shop)", () => {
    expect(runScope(['blue', 'green'], { team: 'green' })).toBe('green');
    expect(runScope([], { team: 'green' })).toBeNull();
  });
});

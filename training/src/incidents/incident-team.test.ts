import { describe, expect, it } from 'vitest';
import type { Caller } from '../ops/identity.ts';
import { roleRefusal, teamForCaller } from './incident-team.ts';

const operator: Caller = { role: 'operator', actor: 'operator:ada', team: null, trainee: null };
const redTrainee: Caller = { role: 'trainee', actor: 'trainee:ada', team: 'red', trainee: 'ada' };

describe("the caller's team during a run", () => {
  it('when the run has no team (runs have none yet), then everyone acts on the run’s team (null)', () => {
    expect(teamForCaller(operator, null)).toEqual({ ok: true, team: null });
    expect(teamForCaller(redTrainee, null)).toEqual({ ok: true, team: null });
  });

  it("when the run is another team's, then a trainee is refused and the operator acts for the run's team", () => {
    expect(teamForCaller(redTrainee, 'blue')).toEqual({ ok: false, message: "The run in progress is team blue's, not team red's" });
    expect(teamForCaller(redTrainee, 'red')).toEqual({ ok: true, team: 'red' });
    expect(teamForCaller(operator, 'blue')).toEqual({ ok: true, team: 'blue' });
  });
});

describe('who may take a role', () => {
  it('when the trainee is unknown (no team), then it is refused naming the trainee', () => {
    expect(roleRefusal('mallory', null, null, operator)).toMatch(/No trainee "mallory"/);
  });

  it("when the trainee is in another team than the run's, or the trainee caller's, then it is refused naming both teams", () => {
    expect(roleRefusal('bob', 'blue', 'red', operator)).toBe('Trainee "bob" is in team blue, not in team red');
    expect(roleRefusal('bob', 'blue', null, redTrainee)).toBe('Trainee "bob" is in team blue, not in team red');
  });

  it('when the trainee is in the acting team, or the run names none and the operator asks, then it is allowed', () => {
    expect(roleRefusal('bob', 'red', 'red', operator)).toBeUndefined();
    expect(roleRefusal('bob', 'lab', null, operator)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { traineeCaller, type Caller } from '../ops/identity.ts';
import { teamRefusal } from './team-scope.ts';

const blueTrainee = traineeCaller({ name: 'grace', team: 'blue' });
const operator: Caller = { role: 'operator', actor: 'operator:ada', team: null, trainee: null };
const instructor: Caller = { role: 'instructor', actor: 'instructor', team: null, trainee: null };

describe('who may act during a run', () => {
  it("when a trainee acts during another team's run, then it is refused, naming the run and both teams", () => {
    expect(teamRefusal(blueTrainee, { runId: 'run-1', team: 'red' })).toBe(
      "run run-1 is team red's; a trainee acts only during its own team's runs (yours is blue)",
    );
  });

  it("when a trainee acts during its own team's run, a run for no team, or no run, then it may", () => {
    expect(teamRefusal(blueTrainee, { runId: 'run-1', team: 'blue' })).toBeUndefined();
    expect(teamRefusal(blueTrainee, { runId: 'run-1', team: null })).toBeUndefined();
    expect(teamRefusal(blueTrainee, undefined)).toBeUndefined();
  });

  it("when the operator or the instructor acts during any team's run, then they may", () => {
    expect(teamRefusal(operator, { runId: 'run-1', team: 'red' })).toBeUndefined();
    expect(teamRefusal(instructor, { runId: 'run-1', team: 'red' })).toBeUndefined();
  });
});

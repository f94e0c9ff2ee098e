import { describe, expect, it } from 'vitest';
import type { HttpProblem } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';
import { chartTeam } from './chart-team.ts';

const instructor: Caller = { role: 'instructor', actor: 'instructor', team: null, trainee: null };
const operator: Caller = { role: 'operator', actor: 'operator:ada', team: null, trainee: null };
const greenTrainee: Caller = { role: 'trainee', actor: 'ada', team: 'green', trainee: 'ada' };
const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as HttpProblem).status;
  }
  return 'answered';
};

describe('whose shop a chart shows', () => {
  it('in a single-shop lab: nobody’s (no team matcher), and a team asked for is refused', () => {
    expect(chartTeam(greenTrainee, undefined, [])).toBeUndefined();
    expect(chartTeam(instructor, undefined, [])).toBeUndefined();
    expect(status(() => chartTeam(instructor, 'blue', []))).toBe(400);
  });

  it('in a class: a trainee’s own team, always; another team is refused', () => {
    expect(chartTeam(greenTrainee, undefined, ['blue', 'green'])).toBe('green');
    expect(chartTeam(greenTrainee, 'green', ['blue', 'green'])).toBe('green');
    expect(status(() => chartTeam(greenTrainee, 'blue', ['blue', 'green']))).toBe(403);
    expect(status(() => chartTeam({ ...greenTrainee, team: 'red' }, undefined, ['blue', 'green']))).toBe(403);
  });

  it('in a class: the instructor’s pick, or every team side by side; a team not in the class is refused', () => {
    expect(chartTeam(instructor, 'blue', ['blue', 'green'])).toBe('blue');
    expect(chartTeam(instructor, undefined, ['blue', 'green'])).toBeUndefined();
    expect(status(() => chartTeam(instructor, 'red', ['blue', 'green']))).toBe(400);
  });

  it('in a class: the operator’s pick, which it must name (it has no team of its own); a single shop’s operator names none', () => {
    expect(chartTeam(operator, 'green', ['blue', 'green'])).toBe('green');
    expect(status(() => chartTeam(operator, undefined, ['blue', 'green']))).toBe(400);
    expect(status(() => chartTeam(operator, 'red', ['blue', 'green']))).toBe(400);
    expect(chartTeam(operator, undefined, [])).toBeUndefined();
  });
});

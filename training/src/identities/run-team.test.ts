import { describe, expect, it } from 'vitest';
import { teamForRun } from './run-team.ts';

describe("a new run's team", () => {
  it('when a team is named and exists, then the run is for it', () => {
    expect(teamForRun('red', ['blue', 'red'])).toBe('red');
  });

  it('when a team is named that does not exist, then there is none to use (the caller refuses)', () => {
    expect(teamForRun('green', ['blue', 'red'])).toBeUndefined();
    expect(teamForRun('green', [])).toBeUndefined();
  });

  it('when no team is named and exactly one exists, then the run is for that one', () => {
    expect(teamForRun(undefined, ['blue'])).toBe('blue');
  });

  it('when no team is named and none or several exist, then the run is for no team', () => {
    expect(teamForRun(undefined, [])).toBeNull();
    expect(teamForRun(undefined, ['blue', 'red'])).toBeNull();
  });
});

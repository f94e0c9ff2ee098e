import { describe, expect, it } from 'vitest';
import { currentRunOf } from './event-store.ts';

const singleLab = () => '';
const klass = (team: string | null) => (team === 'blue' || team === 'green' ? team : undefined);

describe('which unfinished run an event belongs to', () => {
  it('in a single lab, every event without a run of its own is the one run’s, whatever its team (as before classes)', () => {
    const runs = new Map([['', { runId: 'run-1', team: 'red' }]]);
    expect(currentRunOf({}, runs, singleLab)).toEqual({ runId: 'run-1', team: 'red' });
    expect(currentRunOf({ team: 'blue' }, runs, singleLab)).toEqual({ runId: 'run-1', team: 'red' });
    expect(currentRunOf({ runId: null }, runs, singleLab)).toEqual({ runId: 'run-1', team: 'red' });
    expect(currentRunOf({}, new Map(), singleLab)).toBeUndefined();
  });

  it("in a class with two runs going, a team's event is its own team's run's, and an event of no team is no run's", () => {
    const runs = new Map([
      ['blue', { runId: 'run-blue', team: 'blue' }],
      ['green', { runId: 'run-green', team: 'green' }],
    ]);
    expect(currentRunOf({ team: 'blue' }, runs, klass)?.runId).toBe('run-blue');
    expect(currentRunOf({ team: 'green' }, runs, klass)?.runId).toBe('run-green');
    expect(currentRunOf({}, runs, klass)).toBeUndefined();
    expect(currentRunOf({ team: 'red' }, runs, klass)).toBeUndefined();
  });

  it('an event naming its run takes that run’s team, in a class too', () => {
    const runs = new Map([
      ['blue', { runId: 'run-blue', team: 'blue' }],
      ['green', { runId: 'run-green', team: 'green' }],
    ]);
    expect(currentRunOf({ runId: 'run-green' }, runs, klass)).toEqual({ runId: 'run-green', team: 'green' });
    expect(currentRunOf({ runId: 'run-gone' }, runs, klass)).toBeUndefined();
  });
});

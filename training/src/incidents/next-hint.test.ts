import { describe, expect, it } from 'vitest';
import { nextHint, type ScenarioHint } from './next-hint.ts';

const hints: ScenarioHint[] = [
  { after: 180_000, cost: 5, text: 'first' },
  { after: 360_000, cost: 10, text: 'second' },
  { cost: 25, text: 'the solution' },
];

describe('the next hint', () => {
  it('when its time since live has not come, then it says in how long (and not its text)', () => {
    expect(nextHint(hints, 0, { liveForMs: 60_000, speed: 1 })).toEqual({ state: 'later', index: 0, cost: 5, inMs: 120_000 });
  });

  it('when its time has come, then it is available with its cost and text', () => {
    expect(nextHint(hints, 0, { liveForMs: 180_000, speed: 1 })).toEqual({ state: 'available', index: 0, cost: 5, text: 'first' });
  });

  it('when the run goes at speed 4, then the times are a quarter (as every scenario time)', () => {
    expect(nextHint(hints, 1, { liveForMs: 90_000, speed: 4 })).toMatchObject({ state: 'available', index: 1 });
    expect(nextHint(hints, 1, { liveForMs: 80_000, speed: 4 })).toMatchObject({ state: 'later', inMs: 10_000 });
  });

  it('when a hint has no `after`, then it is available as soon as the ones before it are taken', () => {
    expect(nextHint(hints, 2, { liveForMs: 0, speed: 1 })).toMatchObject({ state: 'available', text: 'the solution' });
  });

  it('when every hint was taken, then none is left', () => {
    expect(nextHint(hints, 3, { liveForMs: 1e9, speed: 1 })).toEqual({ state: 'none-left', taken: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../runs/run-milestones.ts';
import { pausesOf, spanLessPauses } from './paused-time.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, 0) + seconds * 1000).toISOString();
const event = (id: number, seconds: number, kind: string): JournalEvent => ({ id, at: at(seconds), actor: 'instructor', kind, data: {} });
const ms = (seconds: number) => Date.parse(at(seconds));

describe('time paused, left out of the response times', () => {
  it('when the run was paused twice and ended paused, then each pause runs to its resume or to the end', () => {
    const journal = [event(1, 10, 'run.paused'), event(2, 40, 'run.resumed'), event(3, 100, 'run.paused')];
    expect(pausesOf(journal, ms(130))).toEqual([
      { fromMs: ms(10), toMs: ms(40) },
      { fromMs: ms(100), toMs: ms(130) },
    ]);
  });

  it('when a span covers one pause whole and another in part, then only the paused parts inside it are left out', () => {
    const pauses = [
      { fromMs: ms(10), toMs: ms(40) },
      { fromMs: ms(100), toMs: ms(130) },
    ];
    expect(spanLessPauses(pauses, ms(0), ms(110))).toBe(110_000 - 30_000 - 10_000);
    expect(spanLessPauses(pauses, ms(50), ms(90))).toBe(40_000);
    expect(spanLessPauses(pauses, ms(20), ms(30))).toBe(0);
  });

  it('when a resume comes without a pause, then it is ignored', () => {
    expect(pausesOf([event(1, 10, 'run.resumed')], ms(20))).toEqual([]);
  });
});

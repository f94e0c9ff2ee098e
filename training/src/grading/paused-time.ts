import type { JournalEvent } from '../runs/run-milestones.ts';
import { atMs } from './grading-journal.ts';

/** A stretch of wall time during which the instructor held the run's timeline. */
export interface Pause {
  fromMs: number;
  toMs: number;
}

/**
 * The run's pauses from its journal: each `run.paused` to the next `run.resumed`, or to `endMs`
 * when the run ended paused.
 */
export function pausesOf(journal: readonly JournalEvent[], endMs: number): Pause[] {
  const pauses: Pause[] = [];
  let from: number | undefined;
  for (const event of journal) {
    if (event.kind === 'run.paused' && from === undefined) from = atMs(event);
    else if (event.kind === 'run.resumed' && from !== undefined) {
      pauses.push({ fromMs: from, toMs: atMs(event) });
      from = undefined;
    }
  }
  if (from !== undefined) pauses.push({ fromMs: from, toMs: Math.max(from, endMs) });
  return pauses;
}

/**
 * How long from `fromMs` to `toMs`, less the time paused in between: the rule that keeps a pause
 * (a class break, the instructor explaining) from counting against the team's response times.
 */
export function spanLessPauses(pauses: readonly Pause[], fromMs: number, toMs: number): number {
  const paused = pauses.reduce((sum, pause) => sum + Math.max(0, Math.min(toMs, pause.toMs) - Math.max(fromMs, pause.fromMs)), 0);
  return toMs - fromMs - paused;
}

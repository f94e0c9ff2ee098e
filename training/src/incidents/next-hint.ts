import { scaled } from '../scenario/timeline.ts';

/** A hint as the scenario file writes it (`after` in ms since the run went live, unscaled). */
export interface ScenarioHint {
  after?: number | undefined;
  cost: number;
  text: string;
}

export type NextHint =
  | { state: 'available'; index: number; cost: number; text: string }
  /** The next hint unlocks in `inMs` (on the run's clock: `after` divided by the run's speed). */
  | { state: 'later'; index: number; cost: number; inMs: number }
  | { state: 'none-left'; taken: number };

/**
 * Which hint a team may take next: hints come in order (the last is the solution), each once its
 * `after` has elapsed since the run went live, scaled by the run's speed like every other scenario
 * time. A pure function of the times the lab recorded (the run's live time, the server's now).
 */
export function nextHint(hints: readonly ScenarioHint[], taken: number, options: { liveForMs: number; speed: number }): NextHint {
  const hint = hints[taken];
  if (!hint) return { state: 'none-left', taken };
  const unlocksAtMs = hint.after === undefined ? 0 : scaled(hint.after, options.speed);
  if (options.liveForMs < unlocksAtMs) return { state: 'later', index: taken, cost: hint.cost, inMs: unlocksAtMs - options.liveForMs };
  return { state: 'available', index: taken, cost: hint.cost, text: hint.text };
}

import type { Caller } from '../ops/identity.ts';

/** The run going on, as far as who may act during it is concerned. */
export interface CurrentRun {
  runId: string;
  /** null: a run for no team in particular (no teams, or several and none was named). */
  team: string | null;
}

/**
 * Why the caller may not act on the shop now, or undefined if it may. A team sees and acts on its
 * own stack only: during another team's run, a trainee's lever is refused. The operator and the
 * instructor act for whichever run is going on; a run for no team is anyone's.
 */
export function teamRefusal(caller: Caller, run: CurrentRun | undefined): string | undefined {
  if (caller.role !== 'trainee' || !run || run.team === null || run.team === caller.team) return undefined;
  return `run ${run.runId} is team ${run.team}'s; a trainee acts only during its own team's runs (yours is ${caller.team})`;
}

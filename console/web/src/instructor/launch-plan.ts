import type { Team } from './instructor-types.ts';

/** The launch form's "team" choice meaning every team. */
export const everyTeam = '*every*';

/**
 * The teams a launch starts a run for: one team, or every team in turn. With no team defined, a
 * launch for "every team" is one run for no team in particular (null), as `lab run` does.
 */
export function launchPlan(choice: string, teams: readonly Team[]): Array<string | null> {
  if (choice !== everyTeam) return [choice];
  return teams.length === 0 ? [null] : teams.map((t) => t.name);
}

export interface LaunchOutcome {
  team: string | null;
  ok: boolean;
  text: string;
}

/**
 * What one team's launch came to, in words. The lab has one shop, so while a run is going any
 * other is refused (409 run_in_progress): said plainly, per team (issue 12 gives each team a shop).
 */
export function launchOutcome(team: string | null, result: { runId: string } | { status: number; code: string; detail: string }): LaunchOutcome {
  const who = team === null ? 'No team' : `Team ${team}`;
  if ('runId' in result) return { team, ok: true, text: `${who}: started run ${result.runId}` };
  if (result.code === 'run_in_progress')
    return { team, ok: false, text: `${who}: REFUSED, another run is in progress. This lab has one shop, so one run at a time (${result.detail})` };
  return { team, ok: false, text: `${who}: REFUSED (${result.status} ${result.code}): ${result.detail}` };
}

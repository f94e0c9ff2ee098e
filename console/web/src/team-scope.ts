/**
 * The instructor's (and the operator's) team in a class (docs/decisions/0015): the console's server knows the class's
 * teams (GET /console/charts `teams`, empty for a single shop); the instructor or the operator picks one and every
 * call that is about one team's shop carries it. Without a class, or for a trainee (whose team is
 * its own, decided by the server), nothing is added and every request is what it always was.
 */

/** `path` with `team=<team>` added to its query; unchanged without a team. */
export function withTeam(path: string, team: string | null | undefined): string {
  if (!team) return path;
  return `${path}${path.includes('?') ? '&' : '?'}team=${encodeURIComponent(team)}`;
}

/** A request body for the picked team (its `team`), or for no team (unchanged). */
export function withTeamBody<B extends object>(body: B, team: string | null | undefined): B & { team?: string } {
  return team ? { ...body, team } : body;
}

/** A lever's body (POST /api/levers) for the picked team, or for no team. */
export function leverBody(lever: string, team: string | null | undefined): { lever: string; team?: string } {
  return withTeamBody({ lever }, team);
}

/**
 * The team the picker shows: the one picked while it is still in the class, else the class's first;
 * null without a class (no picker at all).
 */
export function pickedTeam(classTeams: readonly string[], current: string | null): string | null {
  if (classTeams.length === 0) return null;
  return current !== null && classTeams.includes(current) ? current : classTeams[0]!;
}

/** The runs a page about one team shows: a class's team's (the operator's pick); every run it may read without a team. */
export function runsOfTeam<R extends { team: string | null }>(runs: readonly R[], team: string | null | undefined): R[] {
  return team ? runs.filter((run) => run.team === team) : [...runs];
}

/** The team a run's requests name: its team in a class; none in a single lab (its one shop). */
export function runScope(classTeams: readonly string[], run: { team: string | null }): string | null {
  return classTeams.length > 0 ? run.team : null;
}

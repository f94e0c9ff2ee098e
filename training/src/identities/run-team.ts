/**
 * The team a new run is for: the one asked for (it must exist), else the only team when there is
 * exactly one, else none (no teams yet, or several and the instructor named none). `undefined`
 * means the team asked for does not exist.
 */
export function teamForRun(requested: string | undefined, teams: readonly string[]): string | null | undefined {
  if (requested !== undefined) return teams.includes(requested) ? requested : undefined;
  return teams.length === 1 ? teams[0]! : null;
}

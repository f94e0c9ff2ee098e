import { teamNamePattern, teamNameRule } from '@firedrill/conventions';
import { maxTeams, teamColours } from '@firedrill/lab-infra';

/**
 * `--teams blue,green,red` or `--teams 3` (LAB_TEAMS) → the class's team names, in order; a count
 * takes the first colours of the port plan's list. Throws with a sentence a person can act on (the
 * CLI prints it). A name follows the one team-name rule (@firedrill/conventions): it becomes part of
 * a database name, a key prefix, a process name.
 */
export function parseTeams(spec: string): string[] {
  const text = spec.trim();
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > maxTeams) throw new Error(`--teams ${text}: a class has 1 to ${maxTeams} teams`);
    return teamColours.slice(0, count);
  }
  const names = text.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!teamNamePattern.test(name)) throw new Error(`--teams: "${name}" is not ${teamNameRule}`);
  }
  if (new Set(names).size !== names.length) throw new Error('--teams: a team is named twice');
  if (names.length > maxTeams) throw new Error(`--teams: a class has at most ${maxTeams} teams`);
  return names;
}

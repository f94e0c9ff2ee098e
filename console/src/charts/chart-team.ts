import { HttpProblem, problems } from '@firedrill/kit';
import type { Caller } from '../session/session-store.ts';

/**
 * Whose shop a chart shows. A single shop (no class): everyone sees it. A class: a trainee sees
 * their own team's only (asking for another is refused, not silently answered); the instructor
 * sees the team they pick, or every team's series side by side; the operator, who has no team of
 * its own and reads through a team's way to Prometheus (chart-source.ts), the team it picks.
 */
export function chartTeam(caller: Caller, asked: string | undefined, classTeams: readonly string[]): string | undefined {
  if (classTeams.length === 0) {
    if (asked !== undefined) throw new HttpProblem(problems.validation_failed, 'This lab runs one shop: its charts take no team');
    return undefined;
  }
  if (asked !== undefined && !classTeams.includes(asked))
    throw new HttpProblem(problems.validation_failed, `No team ${asked} in this class (${classTeams.join(', ')})`);
  if (caller.role === 'trainee') {
    if (!caller.team || !classTeams.includes(caller.team)) throw new HttpProblem(problems.forbidden, 'Your team has no shop in this class');
    if (asked !== undefined && asked !== caller.team) throw new HttpProblem(problems.forbidden, "A trainee's charts show their own team's shop only");
    return caller.team;
  }
  if (caller.role === 'operator' && asked === undefined)
    throw new HttpProblem(problems.validation_failed, `In this class the operator's charts are a team's: name it with ?team= (${classTeams.join(', ')})`);
  return asked;
}

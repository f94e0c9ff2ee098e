import { HttpProblem, problems } from '@firedrill/kit';
import type { Caller } from '../ops/identity.ts';

/**
 * Whether a caller may read a run of `runTeam` (the run, its events, its status): a trainee reads
 * its own team's runs and those for no team (every responder shares one); the operator and the
 * instructor read every run. Reports and PIRs are stricter still (a run for no team is no trainee's).
 */
export function readsRun(caller: Pick<Caller, 'role' | 'team'>, runTeam: string | null): boolean {
  return caller.role !== 'trainee' || runTeam === null || runTeam === caller.team;
}

/**
 * Refuses another team's run as if it did not exist (404, the same answer as an unknown id), so a
 * trainee learns nothing of the other teams' runs by guessing ids.
 */
export function mustReadRun<T extends { id: string; team: string | null }>(run: T | undefined, id: string, caller: Pick<Caller, 'role' | 'team'>): T {
  if (!run || !readsRun(caller, run.team)) throw new HttpProblem(problems.not_found, `No run ${id}`);
  return run;
}

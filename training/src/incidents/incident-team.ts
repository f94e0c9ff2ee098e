import type { Caller } from '../ops/identity.ts';

/** Who is in which team: the trainee store (`lab teams`, `lab trainees add`). */
export interface TraineeDirectory {
  /**
   * The trainee's team, null when there is no such trainee, or `open` when the lab has no trainees
   * at all (one person with the operator token: any name they give is on the run's team).
   */
  teamOf(trainee: string): Promise<string | null | 'open'>;
}

/**
 * The team whose incident a caller acts on during a run: the run's team (null for a run started
 * for no team, which every responder shares). A trainee acts only on a run of its own team.
 */
export function teamForCaller(caller: Caller, runTeam: string | null): { ok: true; team: string | null } | { ok: false; message: string } {
  if (caller.role === 'trainee' && runTeam !== null && caller.team !== runTeam)
    return { ok: false, message: `The run in progress is team ${runTeam}'s, not team ${caller.team ?? '(none)'}'s` };
  return { ok: true, team: runTeam };
}

/**
 * Whether `trainee` may take a role in the incident of `team` (null: the run's team, when runs have
 * no team): it must exist, and be in the team acting (a trainee caller's own team when the run
 * names none). Returns why not, or undefined.
 */
export function roleRefusal(trainee: string, traineeTeam: string | null | 'open', actingTeam: string | null, caller: Caller): string | undefined {
  if (traineeTeam === 'open') return undefined;
  if (traineeTeam === null) return `No trainee "${trainee}" (\`lab trainees\` lists them)`;
  const team = actingTeam ?? (caller.role === 'trainee' ? caller.team : null);
  if (team !== null && traineeTeam !== team) return `Trainee "${trainee}" is in team ${traineeTeam}, not in team ${team}`;
  return undefined;
}

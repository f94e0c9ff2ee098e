import type { Caller } from '../ops/identity.ts';

/**
 * Who is in which team. The teams-and-trainees work (`lab teams`, `lab trainees add`) provides the
 * real one; until it is merged, start.ts wires `singleTeamDirectory` (a lab with one team, where
 * any trainee name the operator types is in it).
 */
export interface TraineeDirectory {
  /** The trainee's team, or null when there is no such trainee. */
  teamOf(trainee: string): Promise<string | null>;
}

/** The stand-in until trainee identities exist: every name is a trainee of the lab's one team. */
export const singleTeamDirectory = (team = 'lab'): TraineeDirectory => ({ teamOf: async () => team });

/**
 * The team whose incident a caller acts on during a run. Runs have no team of their own yet (the
 * identities work may add a `team` column): a run's team is then null, meaning "the run's team",
 * which every responder shares. A trainee acts only on a run of its own team.
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
export function roleRefusal(trainee: string, traineeTeam: string | null, actingTeam: string | null, caller: Caller): string | undefined {
  if (traineeTeam === null) return `No trainee "${trainee}" (\`lab trainees\` lists them)`;
  const team = actingTeam ?? (caller.role === 'trainee' ? caller.team : null);
  if (team !== null && traineeTeam !== team) return `Trainee "${trainee}" is in team ${traineeTeam}, not in team ${team}`;
  return undefined;
}

import type { RunStatus } from '../run-events.ts';
import { minutesAndSeconds } from '../figures.ts';
import { isGoing, type Run, type Team } from './instructor-types.ts';

/** One line of the "Runs" table: a team and its latest run, with what its event stream said last. */
export interface TeamRow {
  /** null: runs started for no team in particular. */
  team: string | null;
  run: Run | null;
  /** The run's state: the stream's when it has spoken, else the runs list's. */
  state: string | null;
  phase: string | null;
  paused: boolean;
  /** "3:20 / 15:00", "3:20" without a timebox, null before the run is live. */
  clock: string | null;
  firingAlerts: string[];
}

/**
 * A row per team (in the teams' order), each with the team's newest run (GET /api/runs is newest
 * first) merged with that run's latest status from its event stream. Runs for no team get a row
 * of their own at the end, when there are any.
 */
export function teamRows(teams: readonly Team[], runs: readonly Run[], statuses: Readonly<Record<string, RunStatus>>): TeamRow[] {
  const names: Array<string | null> = teams.map((t) => t.name);
  if (runs.some((r) => r.team === null)) names.push(null);
  return names.map((team) => {
    const run = runs.find((r) => r.team === team) ?? null;
    const status = run ? statuses[run.id] : undefined;
    return {
      team,
      run,
      state: status?.state ?? run?.state ?? null,
      phase: status?.phase ?? null,
      paused: Boolean(status?.pausedAt),
      clock: status ? clockOf(status) : null,
      firingAlerts: status?.firingAlerts ?? [],
    };
  });
}

/** Time in the run against its timebox, as text. */
export function clockOf(status: Pick<RunStatus, 'liveForMs' | 'timeboxMs'>): string | null {
  if (status.liveForMs === null) return null;
  const elapsed = minutesAndSeconds(Math.floor(status.liveForMs / 1000));
  return status.timeboxMs === null ? elapsed : `${elapsed} / ${minutesAndSeconds(Math.floor(status.timeboxMs / 1000))}`;
}

/** The runs "Pause all" and "Stop all" act on: every run still warming or live. */
export function goingRuns(runs: readonly Run[], statuses: Readonly<Record<string, RunStatus>>): Run[] {
  return runs.filter((r) => isGoing(statuses[r.id]?.state ?? r.state));
}

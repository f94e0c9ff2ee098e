import { UsageError } from './command.ts';
import type { RunningLab } from './running-lab.ts';

/**
 * `--team T` of a command that acts on a class's shop directly (its processes through the
 * supervisor, its queue in Redis), not through the training API (which checks a team itself):
 * one of the running lab's teams (lab.json), or undefined when not given. A lab without teams
 * takes none.
 */
export function labTeam(lab: RunningLab, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const teams = lab.state.teams ?? [];
  if (teams.length === 0) throw new UsageError('this lab runs one shop (no --teams): drop --team');
  if (typeof value !== 'string' || !teams.includes(value))
    throw new UsageError(`--team must be one of this class's teams (${teams.join(', ')}), not "${String(value)}"`);
  return value;
}

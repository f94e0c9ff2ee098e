import { exitCodes } from '../cli/command.ts';
import { clock } from './event-line.ts';
import type { Run } from '@firedrill/training';
import { paint } from './terminal-colour.ts';

/** Ctrl-C while watching: the run goes on (the lab owns it); 128 + SIGINT, as shells expect. */
export const detachedExitCode = 130;

/** Scripts (and CI) read the outcome from the exit code: only a resolved run is a success. */
export function exitCodeFor(run: Pick<Run, 'state'>): number {
  return run.state === 'resolved' ? exitCodes.ok : exitCodes.failed;
}

/** The last line of a watch: how the run ended, after how long, and why. */
export function outcomeLine(run: Run, colour: boolean): string {
  const from = run.liveAt ?? run.createdAt;
  const took = run.endedAt ? ` after ${clock(Date.parse(run.endedAt) - Date.parse(from))}${run.liveAt ? ' live' : ''}` : '';
  const line = `run ${run.id} ${run.state.replace('_', ' ')}${took}${run.reason ? `: ${run.reason}` : ''}`;
  return paint(run.state === 'resolved' ? 'green' : 'red', line, colour);
}

/** What to tell someone who pressed Ctrl-C: the run is still going, and how to get back to it. */
export function detachedLines(runId: string): string[] {
  return [`lab: detached; run ${runId} goes on (the lab owns it)`, `  watch it again:  lab scenario watch ${runId}`, '  stop it:         lab scenario stop'];
}

import type { RunEvent } from './run-events.ts';
import type { IncidentView } from './incident-types.ts';

/**
 * The team's trainee names the page can see (trainees cannot list trainees): whoever acted on the
 * run's timeline as `trainee:<name>`, and whoever holds an incident role. Sorted, each once.
 */
export function teamNames(events: readonly RunEvent[], view: IncidentView | null): string[] {
  const names = new Set<string>();
  const add = (actor: string | null | undefined) => {
    const match = /^trainee:([A-Za-z0-9._-]{1,64})$/.exec(actor ?? '');
    if (match) names.add(match[1]!);
  };
  for (const event of events) add(event.actor);
  for (const holder of Object.values(view?.incident?.roles ?? {})) if (holder) names.add(holder);
  for (const stamp of [view?.acknowledged, ...(view?.incident?.updates ?? []), ...(view?.incident?.notes ?? [])]) add(stamp?.actor);
  return [...names].sort();
}

/** What POST /api/incident/role accepts as a trainee's name. */
export const traineeNamePattern = '[A-Za-z0-9._-]{1,64}';

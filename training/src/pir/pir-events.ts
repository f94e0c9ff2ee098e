/**
 * What the PIR reads of a run: the run's row and its journal as every participant may see it.
 * (Instructor-only events — fault injections, causes — name the fault; a review drafted for the
 * team must not reveal what the team could not see, so the draft drops them even when given.)
 */
export interface PirRun {
  id: string;
  /** The scenario's title; not shown for a blind run. */
  title: string | null;
  blind: boolean;
  state: string;
  liveAt: string | null;
  endedAt: string | null;
  /** The team that played the run (identities, engineer A's runs.team); null until runs carry one. */
  team: string | null;
}

export interface PirEvent {
  id: number;
  /** ISO time, the lab's clock (the event row's `at`). */
  at: string;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  visibility?: 'everyone' | 'instructor';
}

/** Only what the team could see, oldest first. */
export function visibleEvents(events: readonly PirEvent[]): PirEvent[] {
  return events.filter((event) => (event.visibility ?? 'everyone') === 'everyone').sort((a, b) => a.id - b.id);
}

/** Actors that are the lab itself, not people. */
const labActors = new Set(['scenario', 'alertmanager', 'lab', 'training', 'training:cleanup', 'bot']);

/** A person's name from an actor ("operator:ada" → "ada", "trainee:ada" → "ada"), or undefined for the lab itself and bare roles. */
export function personOf(actor: string): string | undefined {
  if (labActors.has(actor)) return undefined;
  const [role, name] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : [actor, undefined];
  if (name) return name;
  return ['operator', 'instructor', 'trainee', 'agent'].includes(role) ? undefined : role;
}

export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

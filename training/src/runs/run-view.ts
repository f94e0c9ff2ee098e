import type { TrainingEvent } from '../events/event-store.ts';
import type { Role } from '../ops/identity.ts';
import type { Phase } from './run-decisions.ts';
import type { RunRecord, RunState } from './run-store.ts';

/** A run as the API answers it (the runs API contract's `Run`). */
export interface RunView {
  id: string;
  scenario: string | null;
  title: string | null;
  state: RunState;
  reason: string | null;
  seed: number;
  speed: number;
  blind: boolean;
  team: string | null;
  createdAt: string;
  liveAt: string | null;
  endedAt: string | null;
  briefing: string | null;
}

/** Blind runs hide which scenario plays from everyone but the instructor, and the briefing from all. */
export function runView(run: RunRecord, role: Role, briefing: string | null): RunView {
  const hidden = run.blind && role !== 'instructor';
  return {
    id: run.id,
    scenario: hidden ? null : run.scenario,
    title: hidden ? null : run.title,
    state: run.state,
    reason: run.reason,
    seed: run.seed,
    speed: run.speed,
    blind: run.blind,
    team: run.team,
    createdAt: run.createdAt,
    liveAt: run.liveAt,
    endedAt: run.endedAt,
    briefing: run.blind ? null : briefing,
  };
}

/** The phase a caller may see: in a blind run, operators do not learn from it when the fault came. */
export function visiblePhase(phase: Phase | RunState, blind: boolean, role: Role): string {
  if (blind && role !== 'instructor' && (phase === 'steady' || phase === 'incident' || phase === 'recovering')) return 'live';
  return phase;
}

export interface EventFacts {
  levers: { at: string; actor: string; lever: string }[];
  probes: { name: string; passing: boolean }[];
  firingAlerts: string[];
}

/** What the live screen shows that the run's events already say: levers pulled, probes' latest verdicts, alerts firing. */
export function factsFromEvents(events: readonly TrainingEvent[]): EventFacts {
  const levers: EventFacts['levers'] = [];
  const probes = new Map<string, boolean>();
  const firing = new Map<string, string>();
  for (const event of events) {
    const data = event.data;
    if (event.kind === 'lever.applied') levers.push({ at: event.at, actor: event.actor, lever: String(data.lever) });
    else if (event.kind === 'probe.passing' || event.kind === 'probe.failing') probes.set(String(data.probe), event.kind === 'probe.passing');
    else if (event.kind === 'alert.fired') firing.set(`${data.alertname}|${data.firedAt}`, String(data.alertname));
    else if (event.kind === 'alert.resolved') firing.delete(`${data.alertname}|${data.firedAt}`);
  }
  return {
    levers,
    probes: [...probes].map(([name, passing]) => ({ name, passing })),
    firingAlerts: [...new Set(firing.values())].sort(),
  };
}

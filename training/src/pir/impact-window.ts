import type { PirEvent } from './pir-events.ts';

/**
 * When customers felt the incident, from what the team could see (the fault's own start is
 * instructor-only): from the first sign — a probe failing, an alert, a page, the team's
 * acknowledgement or declaration, whichever came first after the run went live — to when every
 * probe passed again and kept passing (else the team's "mitigated", else "resolved", else the
 * run's end). Pure: the draft and the figures' gatherer read the same window.
 */
export interface ImpactWindow {
  startMs: number;
  /** null when the impact never ended before the journal did. */
  endMs: number | null;
  /** What ended it, for the draft to say. */
  endedBy: 'probes held' | 'mitigated' | 'resolved' | 'run ended' | null;
}

const firstSigns = new Set(['probe.failing', 'alert.fired', 'page', 'incident.acknowledged', 'incident.declared']);
const finishedStates = new Set(['resolved', 'timed_out', 'stopped', 'refused', 'failed']);

export function impactWindow(events: readonly PirEvent[]): ImpactWindow | null {
  const at = (event: PirEvent) => Date.parse(event.at);
  const live = events.find((e) => e.kind === 'run.state' && e.data.state === 'live');
  const liveMs = live ? at(live) : Number.NEGATIVE_INFINITY;
  const start = events.find((e) => firstSigns.has(e.kind) && at(e) >= liveMs);
  if (!start) return null;
  const startMs = at(start);

  // Replay the probes' verdicts (recorded on each change): the last moment all began to pass.
  const verdicts = new Map<string, boolean>();
  let passingSinceMs: number | null = null;
  for (const event of events.filter((e) => e.kind === 'probe.passing' || e.kind === 'probe.failing')) {
    verdicts.set(String(event.data.probe ?? '?'), event.kind === 'probe.passing');
    const allPassing = [...verdicts.values()].every(Boolean);
    if (!allPassing) passingSinceMs = null;
    else passingSinceMs ??= at(event);
  }
  if (passingSinceMs !== null && passingSinceMs > startMs) return { startMs, endMs: passingSinceMs, endedBy: 'probes held' };
  const after = (kind: string) => events.find((e) => e.kind === kind && at(e) >= startMs);
  const mitigated = after('incident.mitigated');
  if (mitigated) return { startMs, endMs: at(mitigated), endedBy: 'mitigated' };
  const resolved = after('incident.resolved');
  if (resolved) return { startMs, endMs: at(resolved), endedBy: 'resolved' };
  const ended = events.find((e) => e.kind === 'run.state' && finishedStates.has(String(e.data.state)) && at(e) >= startMs);
  if (ended) return { startMs, endMs: at(ended), endedBy: 'run ended' };
  return { startMs, endMs: null, endedBy: null };
}

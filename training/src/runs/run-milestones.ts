/**
 * A run's milestones from its journal alone (the instructor's view of its events): when the fault
 * went in, the first alert that fired after it, the lever that mitigated it, when the probes began
 * to hold for good, and how the run ended. A pure function of the events, so the bench, the labs'
 * tests and, later, grading read the same times the lab recorded — never a watcher's own clock.
 */

/** The parts of a run event read here (the runs API's Event). */
export interface JournalEvent {
  id: number;
  /** ISO time, the server's clock. */
  at: string;
  actor: string;
  kind: string;
  data: Record<string, unknown> | null;
}

export interface LeverPull {
  atMs: number;
  actor: string;
  lever: string;
  /** What the run made of it when applied: `ends` a cause, `eases` one, or nothing. */
  matched: 'ends' | 'eases' | null;
}

export interface RunMilestones {
  /** The last run.state recorded (warming, live, resolved, timed_out, stopped, refused, failed). */
  state: string | undefined;
  reason: string | undefined;
  liveAtMs: number | undefined;
  /** The first fault.injected (or, for a cause with no fault, the first cause.started). */
  fault: { atMs: number; family: string | undefined; target: string | undefined } | undefined;
  /**
   * The first alert that fired at or after the fault. `atMs` is when Prometheus fired it (the
   * alert record's firedAt, Alertmanager's startsAt); the run records the event on its next poll.
   */
  firstAlert: { atMs: number; alertname: string } | undefined;
  /** Every lever applied during the run, in order. */
  levers: LeverPull[];
  /**
   * The lever that mitigated: the one that ended the last cause a lever ended. When no lever ended
   * a cause (it expired: Lab 3b's path comes back by itself), the first lever pulled after the
   * fault, with `endedCause: false`.
   */
  mitigation: (LeverPull & { endedCause: boolean }) | undefined;
  /** When the last cause ended (by a lever or by expiring). */
  lastCauseEndedAtMs: number | undefined;
  /**
   * When the probes began to hold for good: every probe passing from then until the run ended,
   * counted from no earlier than the last cause's end (as the run's verdict counts the hold).
   * Undefined while a cause is open, or when the probes were not all passing at the end.
   */
  holdingAtMs: number | undefined;
  endedAtMs: number | undefined;
}

const finished = new Set(['resolved', 'timed_out', 'stopped', 'refused', 'failed']);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const time = (iso: unknown): number | undefined => {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * Whether a step's cause.started opened a cause someone or something must end (the run's causesOf):
 * a step with levers that end it, or a fault with a duration. A step that only deploys or flips a
 * flag, with neither, ends nothing.
 */
function startsCause(started: Record<string, unknown>): boolean {
  const endsWith = Array.isArray(started.endsWith) ? started.endsWith : [];
  const actions = Array.isArray(started.actions) ? (started.actions as Record<string, unknown>[]) : [];
  return endsWith.length > 0 || actions.some((action) => action?.kind === 'inject' && typeof action.durationMs === 'number');
}

export function runMilestones(journal: readonly JournalEvent[]): RunMilestones {
  const events = [...journal].sort((a, b) => a.id - b.id);
  const at = (event: JournalEvent) => Date.parse(event.at);
  const data = (event: JournalEvent) => event.data ?? {};

  let state: string | undefined;
  let reason: string | undefined;
  let liveAtMs: number | undefined;
  let endedAtMs: number | undefined;
  for (const event of events.filter((e) => e.kind === 'run.state')) {
    state = text(data(event).state);
    reason = text(data(event).reason);
    if (state === 'live') liveAtMs ??= at(event);
    if (state && finished.has(state)) endedAtMs = at(event);
  }

  const injected = events.find((e) => e.kind === 'fault.injected') ?? events.find((e) => e.kind === 'cause.started');
  const fault = injected && { atMs: at(injected), family: text(data(injected).family), target: text(data(injected).target) };

  const alerts = events
    .filter((e) => e.kind === 'alert.fired')
    .map((e) => ({ atMs: time(data(e).firedAt) ?? at(e), alertname: text(data(e).alertname) ?? '?' }))
    .filter((alert) => fault !== undefined && alert.atMs >= fault.atMs)
    .sort((a, b) => a.atMs - b.atMs);

  const leverEvents = events.filter((e) => e.kind === 'lever.applied');
  const pull = (event: JournalEvent): LeverPull => {
    const matched = data(event).matched;
    return { atMs: at(event), actor: event.actor, lever: text(data(event).lever) ?? '?', matched: matched === 'ends' || matched === 'eases' ? matched : null };
  };

  const causeEnds = events.filter((e) => e.kind === 'cause.ended');
  const endingLeverId = causeEnds
    .map((e) => data(e))
    .filter((d) => d.by === 'lever' && typeof d.leverEventId === 'number')
    .map((d) => d.leverEventId as number)
    .at(-1);
  const endingLever = leverEvents.find((e) => e.id === endingLeverId);
  const afterFault = leverEvents.find((e) => fault !== undefined && at(e) >= fault.atMs);
  const mitigation = endingLever ? { ...pull(endingLever), endedCause: true } : afterFault ? { ...pull(afterFault), endedCause: false } : undefined;

  const causeSteps = events.filter((e) => e.kind === 'cause.started' && startsCause(data(e))).map((e) => data(e).step);
  const endedSteps = new Set(causeEnds.map((e) => data(e).step));
  const allEnded = causeSteps.length > 0 && causeSteps.every((step) => endedSteps.has(step));
  const lastCauseEndedAtMs = causeEnds.length > 0 ? at(causeEnds.at(-1)!) : undefined;

  // Replays the probes' verdicts: the run records a probe's verdict each time it changes.
  const verdicts = new Map<string, boolean>();
  let passingSinceMs: number | undefined;
  for (const event of events.filter((e) => e.kind === 'probe.passing' || e.kind === 'probe.failing')) {
    if (endedAtMs !== undefined && at(event) > endedAtMs) break;
    verdicts.set(text(data(event).probe) ?? '?', event.kind === 'probe.passing');
    const allPassing = [...verdicts.values()].every(Boolean);
    if (!allPassing) passingSinceMs = undefined;
    else passingSinceMs ??= at(event);
  }
  const holdingAtMs = allEnded && passingSinceMs !== undefined ? Math.max(passingSinceMs, lastCauseEndedAtMs!) : undefined;

  return {
    state,
    reason,
    liveAtMs,
    fault,
    firstAlert: alerts[0],
    levers: leverEvents.map(pull),
    mitigation,
    lastCauseEndedAtMs,
    holdingAtMs,
    endedAtMs,
  };
}

import type { Lever } from '../levers/lever.ts';
import { holdState, type ProbeRound } from '../scenario/probes.ts';
import { leverMatches } from '../scenario/levers.ts';
import type { LabScenario, Probe } from '../scenario/scenario-schema.ts';
import type { TimelinePlan } from '../scenario/timeline.ts';

/**
 * The run's decisions as pure functions: facts in (the plan, causes started, levers applied as
 * events, probe rounds, the time on the run's clock), decisions out. No clock and no I/O, so each
 * rule is unit-tested with hand-built lists. Times are milliseconds on the run's clock; event ids
 * give the order of what was recorded.
 */

/** What a timeline step sets going that someone must end: its `endsWith` levers, or its fault's duration. */
export interface Cause {
  /** Index of the step in the scenario's timeline. */
  step: number;
  endsWith: readonly Lever[];
  eases: readonly Lever[];
  /** The fault's duration, scaled; absent: only a lever ends it. */
  durationMs?: number | undefined;
}

export interface StartedCause extends Cause {
  startedAtMs: number;
  /** The cause.started event: only levers recorded after it count. */
  startEventId: number;
}

/** A lever.applied event of the run. */
export interface AppliedLever {
  eventId: number;
  atMs: number;
  actor: string;
  lever: Lever;
}

export type CauseEnding = { kind: 'lever'; lever: Lever; eventId: number; actor: string } | { kind: 'expired' };

export interface CauseEnd {
  step: number;
  atMs: number;
  by: CauseEnding;
}

export interface MatchContext {
  /** The poison jobs this run's faults planted ("dead-letter poison" matches these). */
  poisonJobIds?: readonly string[];
}

/** The causes of a plan: every step with a lever that ends it or a fault that lasts a while. */
export function causesOf(scenario: LabScenario, plan: TimelinePlan): Cause[] {
  return plan.steps.flatMap((planned) => {
    const step = scenario.timeline[planned.step]!;
    const inject = planned.actions.find((action) => action.kind === 'inject');
    const durationMs = inject?.kind === 'inject' ? inject.durationMs : undefined;
    if (step.endsWith.length === 0 && durationMs === undefined) return [];
    return [{ step: planned.step, endsWith: step.endsWith, eases: step.eases, durationMs }];
  });
}

/** What a lever does to a cause: ends it, eases it, or nothing. A lever listed in both ends it. */
export function leverEffect(cause: Cause, lever: Lever, context: MatchContext = {}): 'ends' | 'eases' | null {
  if (cause.endsWith.some((listed) => leverMatches(listed, lever, context))) return 'ends';
  if (cause.eases.some((listed) => leverMatches(listed, lever, context))) return 'eases';
  return null;
}

/** What a lever does to the run: the strongest effect on any cause active now. */
export function leverEffectOnRun(active: readonly Cause[], lever: Lever, context: MatchContext = {}): 'ends' | 'eases' | null {
  const effects = active.map((cause) => leverEffect(cause, lever, context));
  return effects.includes('ends') ? 'ends' : effects.includes('eases') ? 'eases' : null;
}

/**
 * When and how a started cause ended, if it has: the first lever recorded after it started that
 * ends it, or the end of its duration, whichever came first. Levers pulled before the cause began
 * do not count, and an `eases` lever never ends it.
 */
export function causeEnd(cause: StartedCause, levers: readonly AppliedLever[], nowMs: number, context: MatchContext = {}): CauseEnd | undefined {
  const byLever = [...levers]
    .sort((a, b) => a.eventId - b.eventId)
    .find((applied) => applied.eventId > cause.startEventId && leverEffect(cause, applied.lever, context) === 'ends');
  const expiresAt = cause.durationMs === undefined ? undefined : cause.startedAtMs + cause.durationMs;
  const expired = expiresAt !== undefined && expiresAt <= nowMs;
  if (byLever && (!expired || byLever.atMs <= expiresAt!)) {
    return { step: cause.step, atMs: byLever.atMs, by: { kind: 'lever', lever: byLever.lever, eventId: byLever.eventId, actor: byLever.actor } };
  }
  if (expired) return { step: cause.step, atMs: expiresAt!, by: { kind: 'expired' } };
  return undefined;
}

export type Phase = 'warming' | 'steady' | 'incident' | 'recovering' | 'ended';

export interface LiveFacts {
  nowMs: number;
  liveAtMs: number;
  plan: Pick<TimelinePlan, 'steps' | 'timeboxMs' | 'stabilityMs'>;
  /** Steps carried out so far (their indexes in the plan's `steps`). */
  stepsDone: number;
  causes: readonly StartedCause[];
  ends: readonly CauseEnd[];
  rounds: readonly ProbeRound[];
  probes: readonly Pick<Probe, 'name' | 'toleranceMs'>[];
}

export type LiveVerdict =
  | { outcome: 'resolved'; reason: string }
  | { outcome: 'timed_out'; reason: string }
  | { outcome: undefined; phase: Exclude<Phase, 'warming' | 'ended'>; holdingForMs: number };

/**
 * Whether the live run is over: resolved once every step has been carried out, every cause it
 * started has ended, and the probes have held for `stability` since the last cause ended; timed
 * out at the timebox. Probe rounds from before the last cause ended do not count towards the hold.
 */
export function liveVerdict(facts: LiveFacts): LiveVerdict {
  const allDone = facts.stepsDone >= facts.plan.steps.length;
  const ended = new Set(facts.ends.map((end) => end.step));
  const active = facts.causes.filter((cause) => !ended.has(cause.step));
  const since = Math.max(facts.liveAtMs, ...facts.ends.map((end) => end.atMs));
  const hold = holdState(
    facts.rounds.filter((round) => round.at >= since),
    facts.probes,
    facts.plan.stabilityMs,
    facts.nowMs,
  );
  const holdingForMs = hold.state === 'failing' ? 0 : facts.nowMs - hold.since;
  if (allDone && active.length === 0 && facts.causes.length > 0 && hold.state === 'holding')
    return { outcome: 'resolved', reason: `every cause ended and the probes held for ${Math.round(facts.plan.stabilityMs / 1000)}s` };
  if (facts.nowMs - facts.liveAtMs >= facts.plan.timeboxMs) {
    const open =
      active.length > 0
        ? `${active.length} cause(s) still active`
        : hold.state === 'failing'
          ? `failing: ${hold.failing.join(', ')}`
          : 'the probes had not held long enough';
    return { outcome: 'timed_out', reason: `the timebox (${Math.round(facts.plan.timeboxMs / 1000)}s) ran out: ${open}` };
  }
  const phase = facts.causes.length === 0 ? 'steady' : active.length > 0 || !allDone ? 'incident' : 'recovering';
  return { outcome: undefined, phase, holdingForMs };
}

export interface GateFacts {
  nowMs: number;
  startedAtMs: number;
  rounds: readonly ProbeRound[];
  /** Consecutive rounds in which every probe passes. */
  consecutive: number;
  maxMs: number;
}

export type GateVerdict = { state: 'open' } | { state: 'waiting' } | { state: 'refused'; failing: string[] };

/**
 * The steady-state gate before anything is injected: open after `consecutive` rounds in a row in
 * which every probe passed; refused, naming the probes failing in the last round, if that has not
 * happened within `maxMs`.
 */
export function gateVerdict(facts: GateFacts): GateVerdict {
  const last = facts.rounds.slice(-facts.consecutive);
  if (last.length === facts.consecutive && last.every((round) => round.results.length > 0 && round.results.every((r) => r.ok))) return { state: 'open' };
  if (facts.nowMs - facts.startedAtMs < facts.maxMs) return { state: 'waiting' };
  const latest = facts.rounds.at(-1);
  const failing = latest ? latest.results.filter((r) => !r.ok).map((r) => `${r.probe} (${r.detail})`) : [];
  return { state: 'refused', failing: failing.length > 0 ? failing : ['the probes did not pass in enough rounds in a row'] };
}

/** Probes whose verdict differs from the last one seen (all of them on the first round). */
export function probeChanges(previous: ReadonlyMap<string, boolean>, round: ProbeRound): { probe: string; passing: boolean; detail: string }[] {
  return round.results.filter((r) => previous.get(r.probe) !== r.ok).map((r) => ({ probe: r.probe, passing: r.ok, detail: r.detail }));
}

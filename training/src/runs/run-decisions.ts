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
  /** The instructor's pauses and extensions (absent: none). */
  hold?: TimelineHold;
}

export type LiveVerdict =
  | { outcome: 'resolved'; reason: string }
  | { outcome: 'timed_out'; reason: string }
  | { outcome: undefined; phase: Exclude<Phase, 'warming' | 'ended'>; holdingForMs: number };

/**
 * Whether the live run is over: resolved once every step has been carried out, every cause it
 * started has ended, and the probes have held for `stability` since the last cause ended; timed
 * out at the timebox (plus its extensions, on the timeline's clock: time paused does not count).
 * A run can resolve while paused. Probe rounds from before the last cause ended do not count towards the hold.
 */
export function liveVerdict(facts: LiveFacts): LiveVerdict {
  const allDone = facts.stepsDone >= facts.plan.steps.length;
  const ended = new Set(facts.ends.map((end) => end.step));
  const active = facts.causes.filter((cause) => !ended.has(cause.step));
  const since = Math.max(facts.liveAtMs, ...facts.ends.map((end) => end.atMs));
  const probesHold = holdState(
    facts.rounds.filter((round) => round.at >= since),
    facts.probes,
    facts.plan.stabilityMs,
    facts.nowMs,
  );
  const holdingForMs = probesHold.state === 'failing' ? 0 : facts.nowMs - probesHold.since;
  if (allDone && active.length === 0 && facts.causes.length > 0 && probesHold.state === 'holding')
    return { outcome: 'resolved', reason: `every cause ended and the probes held for ${Math.round(facts.plan.stabilityMs / 1000)}s` };
  const hold = facts.hold ?? noHold;
  const timeboxMs = facts.plan.timeboxMs + hold.extendedMs;
  if (timelineMs(hold, facts.nowMs) - facts.liveAtMs >= timeboxMs) {
    const open =
      active.length > 0
        ? `${active.length} cause(s) still active`
        : probesHold.state === 'failing'
          ? `failing: ${probesHold.failing.join(', ')}`
          : 'the probes had not held long enough';
    return { outcome: 'timed_out', reason: `the timebox (${Math.round(timeboxMs / 1000)}s) ran out: ${open}` };
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

/**
 * How far a run may be paused and given more time. Both allowances bound what the run keeps
 * going underneath: k6's own time limit and the safety bound of a fault without a duration
 * (run-driver.ts) leave room for all of both, so neither stops before the run does.
 */
export const runAllowances = {
  /** Total extra time over the whole run (POST /extend takes 1..30 minutes a call). */
  extensionMs: 60 * 60_000,
  /** Total time paused over the whole run; when it is used up, the timeline resumes by itself. */
  pauseMs: 30 * 60_000,
} as const;

/** The instructor's hold on a run's timeline: times on the run's clock (ms since live). */
export interface TimelineHold {
  /** When the current pause began; null: not paused. */
  pausedAtMs: number | null;
  /** Pauses that have ended, in total. */
  pausedBeforeMs: number;
  /** Minutes given on top of the timebox, in total. */
  extendedMs: number;
}

export const noHold: TimelineHold = { pausedAtMs: null, pausedBeforeMs: 0, extendedMs: 0 };

/** Time paused so far, the current pause included. */
export function pausedMs(hold: TimelineHold, nowMs: number): number {
  return hold.pausedBeforeMs + (hold.pausedAtMs === null ? 0 : nowMs - hold.pausedAtMs);
}

/**
 * Where the scenario's timeline stands: live time less the time paused. Steps fire and the timebox
 * runs down on this clock only; probes, alerts, levers and causes' own durations keep live time
 * (a fault already injected reverts at its own time, pause or not).
 */
export function timelineMs(hold: TimelineHold, nowMs: number): number {
  return nowMs - pausedMs(hold, nowMs);
}

export type HoldChange =
  | { ok: true; hold: TimelineHold }
  | { ok: false; problem: 'run_already_paused' | 'run_not_paused' | 'run_pause_cap' | 'run_extension_cap'; detail: string };

export function pauseHold(hold: TimelineHold, nowMs: number): HoldChange {
  if (hold.pausedAtMs !== null) return { ok: false, problem: 'run_already_paused', detail: 'The run is already paused (POST …/resume continues it)' };
  const left = runAllowances.pauseMs - hold.pausedBeforeMs;
  if (left <= 0)
    return {
      ok: false,
      problem: 'run_pause_cap',
      detail: `The run has used its ${runAllowances.pauseMs / 60_000} minutes of pause; stop it if the class needs longer`,
    };
  return { ok: true, hold: { ...hold, pausedAtMs: nowMs } };
}

export function resumeHold(hold: TimelineHold, nowMs: number): HoldChange {
  if (hold.pausedAtMs === null) return { ok: false, problem: 'run_not_paused', detail: 'The run is not paused' };
  return { ok: true, hold: { ...hold, pausedAtMs: null, pausedBeforeMs: pausedMs(hold, nowMs) } };
}

/** True when the current pause has used up the pause allowance: the timeline resumes by itself. */
export function pauseRunOut(hold: TimelineHold, nowMs: number): boolean {
  return hold.pausedAtMs !== null && pausedMs(hold, nowMs) >= runAllowances.pauseMs;
}

export function extendHold(hold: TimelineHold, minutes: number): HoldChange {
  const extendedMs = hold.extendedMs + minutes * 60_000;
  if (extendedMs > runAllowances.extensionMs)
    return {
      ok: false,
      problem: 'run_extension_cap',
      detail: `A run can be extended by ${runAllowances.extensionMs / 60_000} minutes in all; it has had ${hold.extendedMs / 60_000}, so at most ${(runAllowances.extensionMs - hold.extendedMs) / 60_000} more`,
    };
  return { ok: true, hold: { ...hold, extendedMs } };
}

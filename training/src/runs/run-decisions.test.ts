import { describe, expect, it } from 'vitest';
import { parseLever, type Lever } from '../levers/lever.ts';
import type { ProbeRound } from '../scenario/probes.ts';
import { labScenarioSchema } from '../scenario/scenario-schema.ts';
import { planTimeline } from '../scenario/timeline.ts';
import {
  causeEnd,
  causesOf,
  gateVerdict,
  leverEffect,
  leverEffectOnRun,
  extendHold,
  liveVerdict,
  noHold,
  pauseHold,
  pauseRunOut,
  probeChanges,
  resumeHold,
  runAllowances,
  timelineMs,
  type TimelineHold,
  type AppliedLever,
  type LiveFacts,
  type StartedCause,
} from './run-decisions.ts';

const lever = (text: string): Lever => {
  const parsed = parseLever(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.lever;
};
const applied = (eventId: number, atMs: number, text: string, actor = 'operator:ada'): AppliedLever => ({ eventId, atMs, actor, lever: lever(text) });

/** The heap-exhaustion war story's cause: rolling back ends it, restarting only buys time. */
const heapCause: StartedCause = { step: 0, endsWith: [lever('rollback api')], eases: [lever('restart api')], startedAtMs: 30_000, startEventId: 10 };

describe('lever → cause', () => {
  it('when a listed ending lever is applied after the cause began, then the cause ends at that lever', () => {
    expect(causeEnd(heapCause, [applied(12, 90_000, 'rollback api')], 100_000)).toEqual({
      step: 0,
      atMs: 90_000,
      by: { kind: 'lever', lever: lever('rollback api'), eventId: 12, actor: 'operator:ada' },
    });
  });

  it('when only the easing lever is applied (restart api in the heap-exhaustion war story), then the cause does not end', () => {
    expect(leverEffect(heapCause, lever('restart api'))).toBe('eases');
    expect(causeEnd(heapCause, [applied(11, 60_000, 'restart api'), applied(13, 80_000, 'restart api')], 10 * 60_000)).toBeUndefined();
  });

  it('when the ending lever was applied before the fault began, then it does not count', () => {
    expect(causeEnd(heapCause, [applied(9, 20_000, 'rollback api')], 100_000)).toBeUndefined();
  });

  it('when a wrong lever is applied, then it neither ends nor eases', () => {
    expect(leverEffect(heapCause, lever('rollback payments'))).toBeNull();
    expect(causeEnd(heapCause, [applied(11, 60_000, 'rollback payments')], 100_000)).toBeUndefined();
  });

  it('when a cause has a duration and nobody pulls a lever, then it ends at its expiry, not before', () => {
    const outage: StartedCause = {
      step: 1,
      endsWith: [],
      eases: [lever('flag api.degraded-mode true')],
      durationMs: 90_000,
      startedAtMs: 10_000,
      startEventId: 5,
    };
    expect(causeEnd(outage, [], 99_999)).toBeUndefined();
    expect(causeEnd(outage, [], 100_000)).toEqual({ step: 1, atMs: 100_000, by: { kind: 'expired' } });
  });

  it('when an ending lever comes after the cause already expired, then the expiry is what ended it', () => {
    const cause: StartedCause = { ...heapCause, durationMs: 60_000 };
    expect(causeEnd(cause, [applied(20, 120_000, 'rollback api')], 130_000)?.by).toEqual({ kind: 'expired' });
  });

  it('when levers match by the scenario rules (failover = the flag; more workers than listed; the run’s poison job), then they end', () => {
    const cause = (ends: string): StartedCause => ({ step: 0, endsWith: [lever(ends)], eases: [], startedAtMs: 0, startEventId: 1 });
    expect(leverEffect(cause('failover payments'), lever('flag payments.secondary-gateway true'))).toBe('ends');
    expect(leverEffect(cause('scale worker 2'), lever('scale worker 3'))).toBe('ends');
    expect(leverEffect(cause('scale worker 3'), lever('scale worker 2'))).toBeNull();
    expect(leverEffect(cause('dead-letter poison'), lever('dead-letter legacy-f1'), { poisonJobIds: ['legacy-f1'] })).toBe('ends');
    expect(leverEffect(cause('dead-letter poison'), lever('dead-letter 42'), { poisonJobIds: ['legacy-f1'] })).toBeNull();
  });

  it('when a lever is listed both as ending one cause and easing another, then the run records it as ending', () => {
    const other: StartedCause = { step: 1, endsWith: [lever('flag api.payment-retries 3')], eases: [lever('rollback api')], startedAtMs: 0, startEventId: 1 };
    expect(leverEffectOnRun([heapCause, other], lever('rollback api'))).toBe('ends');
    expect(leverEffectOnRun([heapCause, other], lever('restart api'))).toBe('eases');
    expect(leverEffectOnRun([], lever('rollback api'))).toBeNull();
  });
});

const round = (at: number, ok: boolean, probe = 'p95'): ProbeRound => ({ at, results: [{ probe, ok, detail: ok ? '0.1' : '0.6' }] });
const every5s = (from: number, to: number, ok: boolean) => Array.from({ length: Math.floor((to - from) / 5000) + 1 }, (_, i) => round(from + i * 5000, ok));

describe('the live run', () => {
  const base: LiveFacts = {
    nowMs: 0,
    liveAtMs: 0,
    plan: { steps: [{ atMs: 30_000, step: 0, actions: [] }], timeboxMs: 600_000, stabilityMs: 60_000 },
    stepsDone: 1,
    causes: [heapCause],
    ends: [],
    rounds: [],
    probes: [{ name: 'p95', toleranceMs: 0 }],
  };

  it('when the cause is still active, then the run goes on even with probes passing', () => {
    const verdict = liveVerdict({ ...base, nowMs: 300_000, rounds: every5s(0, 300_000, true) });
    expect(verdict).toMatchObject({ outcome: undefined, phase: 'incident' });
  });

  it('when every cause ended and the probes held for stability since, then the run is resolved', () => {
    const ends = [{ step: 0, atMs: 100_000, by: { kind: 'expired' as const } }];
    const rounds = [...every5s(30_000, 125_000, false), ...every5s(130_000, 190_000, true)];
    expect(liveVerdict({ ...base, nowMs: 185_000, ends, rounds })).toMatchObject({ outcome: undefined, phase: 'recovering', holdingForMs: 55_000 });
    expect(liveVerdict({ ...base, nowMs: 190_000, ends, rounds })).toMatchObject({ outcome: 'resolved' });
  });

  it('when the probes passed before the cause ended, then only the time since the end counts towards stability', () => {
    const ends = [{ step: 0, atMs: 100_000, by: { kind: 'expired' as const } }];
    const rounds = every5s(0, 150_000, true);
    expect(liveVerdict({ ...base, nowMs: 150_000, ends, rounds })).toMatchObject({ outcome: undefined, holdingForMs: 50_000 });
  });

  it('when a step is still to come, then the run is not resolved even if the earlier causes ended', () => {
    const plan = { ...base.plan, steps: [...base.plan.steps, { atMs: 400_000, step: 1, actions: [] }] };
    const ends = [{ step: 0, atMs: 100_000, by: { kind: 'expired' as const } }];
    expect(liveVerdict({ ...base, plan, nowMs: 300_000, ends, rounds: every5s(0, 300_000, true) })).toMatchObject({ outcome: undefined, phase: 'incident' });
  });

  it('when the timebox runs out with the cause still active, then the run timed out and says why', () => {
    expect(liveVerdict({ ...base, nowMs: 600_000, rounds: every5s(0, 600_000, false) })).toEqual({
      outcome: 'timed_out',
      reason: 'the timebox (600s) ran out: 1 cause(s) still active',
    });
  });

  it('when nothing has started yet, then the phase is steady', () => {
    expect(liveVerdict({ ...base, nowMs: 10_000, stepsDone: 0, causes: [] })).toMatchObject({ outcome: undefined, phase: 'steady' });
  });
});

describe("the instructor's hold on the timeline", () => {
  const base: LiveFacts = {
    nowMs: 0,
    liveAtMs: 0,
    plan: { steps: [{ atMs: 30_000, step: 0, actions: [] }], timeboxMs: 600_000, stabilityMs: 60_000 },
    stepsDone: 1,
    causes: [heapCause],
    ends: [],
    rounds: [],
    probes: [{ name: 'p95', toleranceMs: 0 }],
  };
  const must = (change: ReturnType<typeof pauseHold>): TimelineHold => {
    if (!change.ok) throw new Error(change.detail);
    return change.hold;
  };

  it('when paused at 20 s and resumed at 80 s, then the timeline stood at 20 s meanwhile and reads 30 s at 90 s', () => {
    const paused = must(pauseHold(noHold, 20_000));
    expect(timelineMs(paused, 50_000)).toBe(20_000);
    const resumed = must(resumeHold(paused, 80_000));
    expect(resumed).toEqual({ pausedAtMs: null, pausedBeforeMs: 60_000, extendedMs: 0 });
    expect(timelineMs(resumed, 90_000)).toBe(30_000);
  });

  it('when the run was paused 2 minutes and extended 5, then the timebox ends 7 minutes later in live time, and says so with the extension', () => {
    const hold: TimelineHold = { pausedAtMs: null, pausedBeforeMs: 120_000, extendedMs: 300_000 };
    const failing = (nowMs: number) => liveVerdict({ ...base, hold, nowMs, rounds: every5s(0, nowMs, false) });
    expect(failing(600_000 + 420_000 - 1)).toMatchObject({ outcome: undefined });
    expect(failing(600_000 + 420_000)).toEqual({ outcome: 'timed_out', reason: 'the timebox (900s) ran out: 1 cause(s) still active' });
  });

  it('while paused, then the run cannot time out but can still resolve', () => {
    const hold: TimelineHold = { pausedAtMs: 500_000, pausedBeforeMs: 0, extendedMs: 0 };
    expect(liveVerdict({ ...base, hold, nowMs: 900_000, rounds: every5s(0, 900_000, false) })).toMatchObject({ outcome: undefined, phase: 'incident' });
    const ends = [{ step: 0, atMs: 510_000, by: { kind: 'expired' as const } }];
    expect(liveVerdict({ ...base, hold, nowMs: 575_000, ends, rounds: every5s(515_000, 575_000, true) })).toMatchObject({ outcome: 'resolved' });
  });

  it('when pausing twice, resuming unpaused, or pausing past the allowance, then each is refused by name', () => {
    const paused = must(pauseHold(noHold, 0));
    expect(pauseHold(paused, 1_000)).toMatchObject({ ok: false, problem: 'run_already_paused' });
    expect(resumeHold(noHold, 1_000)).toMatchObject({ ok: false, problem: 'run_not_paused' });
    expect(pauseRunOut(paused, runAllowances.pauseMs - 1)).toBe(false);
    expect(pauseRunOut(paused, runAllowances.pauseMs)).toBe(true);
    const usedUp = must(resumeHold(paused, runAllowances.pauseMs));
    expect(pauseHold(usedUp, runAllowances.pauseMs + 1)).toMatchObject({ ok: false, problem: 'run_pause_cap' });
  });

  it('when extended 30 + 25 minutes, then 5 more fit and 6 do not: 60 minutes in all', () => {
    const extended = must(extendHold(must(extendHold(noHold, 30)), 25));
    expect(extended.extendedMs).toBe(55 * 60_000);
    expect(extendHold(extended, 5)).toMatchObject({ ok: true });
    expect(extendHold(extended, 6)).toEqual({
      ok: false,
      problem: 'run_extension_cap',
      detail: 'A run can be extended by 60 minutes in all; it has had 55, so at most 5 more',
    });
  });
});

describe('the steady-state gate', () => {
  const gate = { startedAtMs: 0, consecutive: 3, maxMs: 90_000 };

  it('when three rounds in a row pass, then the gate opens', () => {
    expect(gateVerdict({ ...gate, nowMs: 20_000, rounds: [round(0, false), round(5000, true), round(10_000, true), round(15_000, true)] })).toEqual({
      state: 'open',
    });
  });

  it('when a failing round breaks the series, then the gate waits', () => {
    expect(gateVerdict({ ...gate, nowMs: 20_000, rounds: [round(5000, true), round(10_000, false), round(15_000, true)] })).toEqual({ state: 'waiting' });
  });

  it('when the bound passes without enough passing rounds, then the run is refused naming the failing probes', () => {
    expect(gateVerdict({ ...gate, nowMs: 90_000, rounds: every5s(0, 90_000, false) })).toEqual({ state: 'refused', failing: ['p95 (0.6)'] });
  });
});

describe('probe changes', () => {
  it('when a probe is first seen, or flips, then it is reported; when it stays, then not', () => {
    const seen = new Map<string, boolean>();
    expect(probeChanges(seen, round(0, true))).toEqual([{ probe: 'p95', passing: true, detail: '0.1' }]);
    seen.set('p95', true);
    expect(probeChanges(seen, round(5000, true))).toEqual([]);
    expect(probeChanges(seen, round(10_000, false))).toEqual([{ probe: 'p95', passing: false, detail: '0.6' }]);
  });
});

describe('causes of a plan', () => {
  it('when a step has ending levers or a lasting fault, then it is a cause; a step with neither is not', () => {
    const scenario = labScenarioSchema.parse({
      id: 'lab-test',
      title: 'Test',
      curriculum: 'Day 4',
      difficulty: 1,
      timebox: '20m',
      load: { script: 'shop-journey', profile: 'steady', rate: 10 },
      steadyState: [{ name: 'ok', promql: 'up == 1' }],
      timeline: [
        { at: '10s', flags: { 'api.payment-retries': 8 } },
        { at: '45s', fault: { family: 'latency', target: 'payments', ms: 500 }, endsWith: ['rollback payments'], eases: ['flag payments.fraud-check false'] },
        { at: '2m', fault: { family: 'database-loss', mode: 'blackhole', for: '90s' } },
      ],
      expectedAlerts: ['ApiHighLatencyP95'],
      stability: '1m',
      answer: { severity: 'P2', category: 'bad-release', rootCause: 'a release' },
      hints: [{ cost: 25, text: 'roll back' }],
      par: { detect: '3m', acknowledge: '5m', mitigate: '12m', resolve: '18m' },
    });
    const causes = causesOf(scenario, planTimeline(scenario, { seed: 1, speed: 2 }));
    expect(causes.map((c) => [c.step, c.endsWith.length, c.eases.length, c.durationMs])).toEqual([
      [1, 1, 1, undefined],
      [2, 0, 0, 45_000],
    ]);
  });
});

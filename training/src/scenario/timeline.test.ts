import { describe, expect, it } from 'vitest';
import { labScenarioSchema, oncallScenarioSchema } from './scenario-schema.ts';
import { pickFromPool, planTimeline, speedWarnings } from './timeline.ts';

const scenario = labScenarioSchema.parse({
  id: 'lab-test',
  title: 'Test',
  curriculum: 'Day 4',
  difficulty: 1,
  timebox: '20m',
  load: { script: 'shop-journey', profile: 'steady', rate: 10 },
  steadyState: [{ name: 'ok', promql: 'up == 1' }],
  timeline: [
    {
      at: '45s',
      window: { from: '1m', to: '5m' },
      deploy: { service: 'payments', version: '2.4.0', notes: 'fraud scoring' },
      flags: { 'payments.fraud-check': true },
      fault: { family: 'latency', target: 'payments', ms: 500 },
      endsWith: ['rollback payments'],
    },
    { at: '2m', fault: { family: 'database-loss', mode: 'blackhole', for: '90s' } },
  ],
  expectedAlerts: ['ApiHighLatencyP95'],
  stability: '2m',
  answer: { severity: 'P2', category: 'bad-release', rootCause: 'a release' },
  hints: [{ cost: 25, text: 'roll back' }],
  par: { detect: '3m', acknowledge: '5m', mitigate: '12m', resolve: '18m' },
});

describe('planTimeline', () => {
  it('when run at speed 1, then steps happen at their `at`, the release first, then flags, then the fault bound to the release', () => {
    const plan = planTimeline(scenario, { seed: 1 });
    expect(plan.steps).toEqual([
      {
        atMs: 45_000,
        step: 0,
        actions: [
          { kind: 'deploy', service: 'payments', version: '2.4.0', notes: 'fraud scoring' },
          { kind: 'flag', flag: 'payments.fraud-check', value: true },
          {
            kind: 'inject',
            fault: { family: 'latency', target: 'payments', ms: 500, jitterMs: 0, rate: 1 },
            release: { service: 'payments', version: '2.4.0' },
          },
        ],
      },
      {
        atMs: 120_000,
        step: 1,
        actions: [{ kind: 'inject', fault: { family: 'database-loss', target: 'postgres', mode: 'blackhole', ms: 500 }, durationMs: 90_000 }],
      },
    ]);
    expect(plan).toMatchObject({ timeboxMs: 1_200_000, stabilityMs: 120_000, blind: false, speed: 1 });
  });

  it('when run at speed 3, then step times, fault durations, timebox and stability are a third', () => {
    const plan = planTimeline(scenario, { seed: 1, speed: 3 });
    expect(plan.steps.map((step) => step.atMs)).toEqual([15_000, 40_000]);
    expect(plan.steps[1]!.actions[0]).toMatchObject({ kind: 'inject', durationMs: 30_000 });
    expect(plan).toMatchObject({ timeboxMs: 400_000, stabilityMs: 40_000 });
  });

  it('when the speed is zero, negative or absurd, then planning refuses it', () => {
    for (const speed of [0, -1, Number.NaN, 1000]) expect(() => planTimeline(scenario, { seed: 1, speed })).toThrow(RangeError);
  });

  it('when blind, then a windowed step happens at a whole second inside its window, the same for the same seed', () => {
    const times = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const at = planTimeline(scenario, { seed, blind: true }).steps.find((step) => step.step === 0)!.atMs;
      expect(at).toBeGreaterThanOrEqual(60_000);
      expect(at).toBeLessThanOrEqual(300_000);
      expect(at % 1000).toBe(0);
      expect(planTimeline(scenario, { seed, blind: true }).steps.find((step) => step.step === 0)!.atMs).toBe(at);
      times.add(at);
    }
    // Different seeds spread over the window rather than all landing on one time.
    expect(times.size).toBeGreaterThan(20);
  });

  it('when blind moves a step after a later one, then the plan is in time order and steps without a window keep their time', () => {
    const seed = [...Array(100).keys()].find((candidate) => planTimeline(scenario, { seed: candidate, blind: true }).steps[0]!.step === 1)!;
    const plan = planTimeline(scenario, { seed, blind: true });
    expect(plan.steps.map((step) => step.step)).toEqual([1, 0]);
    expect(plan.steps[0]!.atMs).toBe(120_000);
  });

  it('when blind and sped up, then the picked time is scaled too', () => {
    const normal = planTimeline(scenario, { seed: 7, blind: true }).steps.find((step) => step.step === 0)!.atMs;
    const fast = planTimeline(scenario, { seed: 7, blind: true, speed: 2 }).steps.find((step) => step.step === 0)!.atMs;
    expect(fast).toBe(Math.round(normal / 2));
  });
});

describe('speedWarnings', () => {
  it('when speed shortens stability below Prometheus windows, then it says so; at speed 1 it does not', () => {
    expect(speedWarnings(planTimeline(scenario, { seed: 1, speed: 4 }))).toEqual([expect.stringContaining("shorter than Prometheus' 1m windows")]);
    expect(speedWarnings(planTimeline(scenario, { seed: 1 }))).toEqual([]);
  });
});

describe('pickFromPool', () => {
  const oncall = oncallScenarioSchema.parse({
    id: 'oncall',
    title: 'On call',
    curriculum: 'Day 4',
    difficulty: 3,
    timebox: '45m',
    oncall: { pool: ['a1', 'b2', 'c3'] },
  });

  it('when picking with a seed, then the pick is from the pool and the same seed picks the same scenario', () => {
    for (let seed = 0; seed < 30; seed++) {
      expect(oncall.oncall.pool).toContain(pickFromPool(oncall, seed));
      expect(pickFromPool(oncall, seed)).toBe(pickFromPool(oncall, seed));
    }
  });

  it('when picking over many seeds, then every scenario of the pool comes up', () => {
    const picked = new Set(Array.from({ length: 60 }, (_, seed) => pickFromPool(oncall, seed)));
    expect([...picked].sort()).toEqual(['a1', 'b2', 'c3']);
  });
});

import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../runs/run-milestones.ts';
import { gradeRun, type GradedScenario } from './grade-run.ts';
import { defaultWeights } from './grading-weights.ts';

/** A journal written by hand: `at` is seconds after 12:00:00, ids follow the order given. */
type Entry = [seconds: number, kind: string, data?: Record<string, unknown>, actor?: string];
const iso = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, 0) + seconds * 1000).toISOString();
const journal = (...entries: Entry[]): JournalEvent[] =>
  entries.map(([seconds, kind, data = {}, actor = 'scenario'], i) => ({ id: i + 1, at: iso(seconds), actor, kind, data }));

const minutes = (n: number) => n * 60_000;
const scenario: GradedScenario = {
  par: { detect: minutes(3), acknowledge: minutes(5), mitigate: minutes(15), resolve: minutes(20) },
  stability: minutes(1),
  answer: { severity: 'P2', category: 'bad-release', rootCause: 'payments 2.4.0 adds ~500 ms per charge' },
  grading: undefined,
};
const probe = 'checkout p95 below 300 ms';
const cause = {
  step: 0,
  endsWith: ['rollback payments'],
  eases: [],
  actions: [
    { kind: 'deploy', service: 'payments' },
    { kind: 'inject', fault: { family: 'latency', target: 'payments' } },
  ],
};
const update = (impact: string | null, nextUpdateMinutes: number | null, kind = 'update') => ({
  incidentId: 'inc-1',
  kind,
  text: 'we are on it',
  impact,
  nextUpdateMinutes,
});

/** Lab 1 worked well: fault at 60 s, paged at 120 s, acked 150, declared P2 160, updates every 10 minutes, rollback at 600, resolved at 780. */
const before: Entry[] = [
  [0, 'run.state', { state: 'live' }],
  [0, 'probe.passing', { probe }],
  [60, 'cause.started', cause, 'scenario'],
  [60, 'fault.injected', { family: 'latency', target: 'payments' }],
  [90, 'probe.failing', { probe }],
  [120, 'page', { alertname: 'ApiHighLatencyP95', summary: null }, 'lab'],
  [150, 'incident.acknowledged', { incidentId: null }, 'trainee:ada'],
  [160, 'incident.declared', { incidentId: 'inc-1', title: 'Checkout slow', severity: 'P2' }, 'trainee:ada'],
  [200, 'incident.update', update('checkout takes 2 s', 10), 'trainee:bo'],
];
const fixed: Entry[] = [
  [600, 'lever.applied', { lever: 'rollback payments', matched: 'ends' }, 'trainee:cy'],
  [601, 'cause.ended', { step: 0, by: 'lever', leverEventId: 10, actor: 'trainee:cy' }],
  [630, 'probe.passing', { probe }],
  [700, 'incident.update', update('checkouts back to normal', 10), 'trainee:bo'],
  [780, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: 'rolled back' }, 'trainee:ada'],
  [781, 'incident.update', update('none', null, 'resolution'), 'trainee:bo'],
  [800, 'run.state', { state: 'resolved' }],
];
const grade = (entries: Entry[], collateral: { eventId: number; ordersFailed: number | null }[] = []) =>
  gradeRun({ journal: journal(...entries), scenario, speed: 1, collateral });
const part = (g: ReturnType<typeof grade>, name: string) => g.score.parts.find((p) => p.part === name)!;

describe('gradeRun', () => {
  it('when a team worked Lab 1 within every par, then each time is measured from the fault and every part but the PIR earns full points', () => {
    const g = grade([...before, ...fixed]);
    expect(g.times.detect).toMatchObject({ ms: 90_000, verdict: 'within par' });
    expect(g.times.acknowledge).toMatchObject({ ms: 30_000, verdict: 'within par' });
    expect(g.times.mitigate).toMatchObject({ ms: 570_000, verdict: 'within par' });
    expect(g.times.resolve).toMatchObject({ ms: 720_000, verdict: 'within par' });
    expect(g.mitigatedBy).toBe('trainees');
    expect(g.communication.rules.every((rule) => rule.passed)).toBe(true);
    expect(g.severity).toEqual({ declared: 'P2', final: 'P2', expected: 'P2', levelsOff: 0 });
    expect(g.rootCause.correct).toBe(true);
    expect(part(g, 'pir')).toMatchObject({ points: 0, figure: 'not submitted' });
    expect(g.score.total).toBe(100 - defaultWeights.pir);
  });

  it('when a PIR and quiz answers are in the journal, then the PIR counts by its score and the quiz is reported per trainee', () => {
    const g = grade([
      ...before,
      ...fixed,
      [900, 'pir.submitted', { pirId: 'pir-1', score: 80, findings: [{ rule: 'blameless', line: 12, message: '"human error"' }] }, 'trainee:ada'],
      [950, 'quiz.answered', { trainee: 'bo', correct: 4, total: 5 }, 'trainee:bo'],
    ]);
    expect(part(g, 'pir')).toMatchObject({ points: 8, max: 10, figure: '80/100' });
    expect(g.pir?.findings).toEqual([{ rule: 'blameless', line: 12, message: '"human error"' }]);
    expect(g.quiz).toEqual([{ trainee: 'bo', correct: 4, total: 5 }]);
    expect(g.score.total).toBe(98);
  });

  it("when the team's quiz answers are handed in apart from the journal (taken after the run), then those are reported, not the journal's", () => {
    const g = gradeRun({
      journal: journal(...before, ...fixed, [950, 'quiz.answered', { trainee: 'bo', correct: 4, total: 5 }, 'trainee:bo']),
      scenario,
      speed: 1,
      collateral: [],
      quiz: journal([2000, 'quiz.answered', { trainee: 'ada', correct: 11, total: 12 }, 'trainee:ada']),
    });
    expect(g.quiz).toEqual([{ trainee: 'ada', correct: 11, total: 12 }]);
  });

  it('when the instructor paused the run for 5 minutes between the page and the acknowledgement, then every time is what it would have been without the pause', () => {
    const later = (entries: Entry[]): Entry[] => entries.map(([seconds, ...rest]) => [seconds + 300, ...rest]);
    const [live, passing, started, injected, failing, paged, ...rest] = before;
    const paused: Entry[] = [
      live!,
      passing!,
      started!,
      injected!,
      failing!,
      paged!,
      [130, 'run.paused', { elapsedMs: 130_000 }, 'instructor'],
      [430, 'run.resumed', { pausedForMs: 300_000 }, 'instructor'],
      ...later(rest),
      ...later(fixed),
    ];
    const g = grade(paused);
    const unpaused = grade([...before, ...fixed]);
    expect(g.times).toEqual(unpaused.times);
    expect(g.times.acknowledge.ms).toBe(30_000);
    expect(g.findings).toContain('the instructor paused the run for 5m in all; time paused is not counted in the response times');
  });

  it('when the team acknowledges during a pause, then only the time before the pause counts towards detection', () => {
    const [live, passing, started, injected, failing] = before;
    const g = grade([
      live!,
      passing!,
      started!,
      injected!,
      failing!,
      [100, 'run.paused', { elapsedMs: 100_000 }, 'instructor'],
      [150, 'incident.acknowledged', { incidentId: null }, 'trainee:ada'],
      [400, 'run.resumed', { pausedForMs: 300_000 }, 'instructor'],
      [500, 'run.state', { state: 'timed_out' }],
    ]);
    expect(g.times.detect.ms).toBe(40_000); // 60 s → 100 s before the pause
  });

  it('when the instructor stops the run before the team mitigates, then the time until the stop counts, flagged, and earns no mitigation points', () => {
    const g = grade([...before, [900, 'run.state', { state: 'stopped', reason: 'stopped by instructor' }, 'instructor']]);
    expect(g.times.mitigate.ms).toBe(840_000);
    expect(g.mitigatedBy).toBe('instructor');
    expect(part(g, 'mitigate')).toMatchObject({ points: 0, reason: 'the instructor ended it, not the team' });
    expect(g.findings.join('\n')).toContain('the instructor stopped the run 14m after the fault');
  });

  it('when a probe flaps inside the stability window, then mitigation counts from the pass that held', () => {
    const flapping: Entry[] = [
      [600, 'lever.applied', { lever: 'rollback payments', matched: 'ends' }, 'trainee:cy'],
      [601, 'cause.ended', { step: 0, by: 'lever', leverEventId: 10, actor: 'trainee:cy' }],
      [630, 'probe.passing', { probe }],
      [650, 'probe.failing', { probe }],
      [700, 'probe.passing', { probe }],
      [780, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: null }, 'trainee:ada'],
      [800, 'run.state', { state: 'resolved' }],
    ];
    const g = grade([...before, ...flapping]);
    expect(g.times.mitigate.ms).toBe(640_000);
    expect(g.times.resolve.ms).toBe(720_000);
  });

  it('when the run resolved by its verdict but the recorded probe verdicts held a few seconds short of the window (a failure within tolerance), then mitigation counts from one window before the end', () => {
    const withinTolerance: Entry[] = [
      [600, 'lever.applied', { lever: 'rollback payments', matched: 'ends' }, 'trainee:cy'],
      [601, 'cause.ended', { step: 0, by: 'lever', leverEventId: 10, actor: 'trainee:cy' }],
      [745, 'probe.passing', { probe }],
      [800, 'run.state', { state: 'resolved' }],
      [805, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: null }, 'trainee:ada'],
    ];
    const g = grade([...before, ...withinTolerance]);
    expect(g.times.mitigate.ms).toBe(680_000);
    expect(g.times.resolve.ms).toBe(745_000);
    expect(g.findings.join('\n')).not.toContain('held only');
  });

  it('when no incident is declared at all, then detection, communication, severity and root cause earn nothing and the findings say why', () => {
    const g = grade([...before.filter(([, kind]) => !kind.startsWith('incident.')), ...fixed.filter(([, kind]) => !kind.startsWith('incident.'))]);
    expect(g.times.detect).toMatchObject({ ms: null, verdict: 'not reached' });
    expect(g.times.resolve.ms).toBeNull();
    expect(g.communication.rules.map((rule) => rule.passed)).toEqual([false, false, false]);
    expect(part(g, 'communication').points).toBe(0);
    expect(part(g, 'severity')).toMatchObject({ points: 0, figure: 'none declared' });
    expect(g.findings).toEqual(expect.arrayContaining(['no incident was declared', 'the team never resolved the incident']));
    // The probes held anyway: mitigation is by outcome, whoever made it.
    expect(part(g, 'mitigate').points).toBe(defaultWeights.mitigate);
  });

  it('when the run timed out with the probes still failing, then mitigation and resolution are not reached', () => {
    const g = grade([...before, [2760, 'run.state', { state: 'timed_out', reason: 'the timebox ran out' }]]);
    expect(g.times.mitigate).toMatchObject({ ms: null, verdict: 'not reached' });
    expect(g.mitigatedBy).toBeNull();
    expect(g.findings).toContain('not mitigated before the run timed out');
  });

  it('when the team resolves while the probes still fail, then the resolve does not count and a finding says so', () => {
    const g = grade([
      ...before,
      [500, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: null }, 'trainee:ada'],
      [2760, 'run.state', { state: 'timed_out' }],
    ]);
    expect(g.times.resolve.ms).toBeNull();
    expect(g.findings).toContain('the incident was resolved while the probes were still failing: it does not count as resolved');
  });

  it('when updates are late (first after 8 minutes, then a promised 10-minute gap of 15), then two communication rules are missed', () => {
    const g = grade([
      ...before.filter(([, kind]) => kind !== 'incident.update'),
      [640, 'incident.update', update('checkout takes 2 s', 10), 'trainee:bo'],
      [1540, 'incident.update', update('checkout takes 2 s', 10), 'trainee:bo'],
      ...fixed.slice(0, 3),
      [1600, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: null }, 'trainee:ada'],
      [1700, 'run.state', { state: 'resolved' }],
    ]);
    const rules = Object.fromEntries(g.communication.rules.map((rule) => [rule.rule, rule]));
    expect(rules['first-update']).toMatchObject({ passed: false, detail: 'first update 8m after declaring (due within 5m)' });
    expect(rules['update-cadence']).toMatchObject({ passed: false, detail: 'update 1 promised the next in 10m; it came 15m later' });
    expect(rules['impact-named']?.passed).toBe(true);
    expect(g.communication.longestGapMs).toBe(900_000);
    expect(part(g, 'communication').points).toBe(5);
    expect(part(g, 'communication').figure).toBe('1 of 3 rules kept; longest gap after a promise 15m');
  });

  it('when an update does not name the impact, then that rule is missed', () => {
    const g = grade([...before, [500, 'incident.update', update(' ', 10), 'trainee:bo'], ...fixed]);
    expect(g.communication.rules.find((rule) => rule.rule === 'impact-named')).toMatchObject({
      passed: false,
      detail: '1 of 4 updates do not name the impact',
    });
  });

  it('when the severity is two levels off the answer key, then it earns nothing; one level off still earns its points', () => {
    const twoOff = grade([...before.map((e): Entry => (e[1] === 'incident.declared' ? [e[0], e[1], { ...e[2], severity: 'P0' }, e[3]] : e)), ...fixed]);
    expect(twoOff.severity.levelsOff).toBe(2);
    expect(part(twoOff, 'severity').points).toBe(0);
    expect(twoOff.findings).toContain("severity P0 is 2 levels from the answer key's P2");
    const corrected = grade([
      ...before,
      [300, 'incident.severity', { incidentId: 'inc-1', severity: 'P3', previous: 'P2', reason: 'few users' }, 'trainee:ada'],
      ...fixed,
    ]);
    expect(corrected.severity).toMatchObject({ declared: 'P2', final: 'P3', levelsOff: 1 });
    expect(part(corrected, 'severity').points).toBe(defaultWeights.severity);
  });

  it('when the wrong root-cause category is named, then root cause earns nothing', () => {
    const g = grade([...before, ...fixed.map((e): Entry => (e[1] === 'incident.resolved' ? [e[0], e[1], { ...e[2], category: 'capacity' }, e[3]] : e))]);
    expect(g.rootCause).toEqual({ named: 'capacity', expected: 'bad-release', correct: false });
    expect(part(g, 'rootCause').points).toBe(0);
  });

  it('when hints are taken, then each costs its points as a deduction with its reason', () => {
    const g = grade([
      ...before,
      [300, 'hint.taken', { index: 0, cost: 5, text: 'Which service slowed first?' }, 'trainee:ada'],
      [400, 'hint.taken', { index: 1, cost: 25, text: 'Compare the deploys.' }, 'trainee:ada'],
      ...fixed,
    ]);
    expect(g.hints.totalCost).toBe(30);
    expect(g.score.deductions.map((d) => [d.part, d.points, d.reason])).toEqual([
      ['hint', -5, 'hint 1 taken (costs 5)'],
      ['hint', -25, 'hint 2 taken (costs 25)'],
    ]);
    expect(g.score.total).toBe(60);
  });

  it('when a healthy component is restarted, then the lever is named as collateral with the orders it failed, and costs points', () => {
    const restart: Entry = [300, 'lever.applied', { lever: 'restart worker', matched: null }, 'trainee:cy'];
    const onFaulty: Entry = [310, 'lever.applied', { lever: 'restart payments', matched: null }, 'trainee:cy'];
    const entries = [
      ...before,
      restart,
      onFaulty,
      ...fixed.map((e): Entry => (e[1] === 'cause.ended' ? [e[0], e[1], { ...e[2], leverEventId: 12 }, e[3]] : e)),
    ];
    const g = grade(entries, [{ eventId: 10, ordersFailed: 7 }]);
    expect(g.collateral).toEqual([{ lever: 'restart worker', at: iso(300), actor: 'trainee:cy', component: 'worker', ordersFailed: 7 }]);
    expect(g.score.deductions).toEqual([
      {
        part: 'collateral',
        points: -8.5,
        max: null,
        figure: 'restart worker on healthy worker; 7 orders failed',
        reason: 'a needless lever (5) plus 0.5 per order failed in its window',
      },
    ]);
    expect(g.findings).toContain('needless lever "restart worker" on healthy worker: 7 orders failed in the next 1m');
  });

  it('when a time is over par, then its points fall linearly to 0 at three times par', () => {
    // Detected at 6 min: par 3 min, so halfway to 9 min.
    const late = before.map((e): Entry => (e[1] === 'incident.acknowledged' || e[1] === 'incident.declared' ? [420, e[1], e[2], e[3]] : e));
    const g = grade([...late, ...fixed]);
    expect(g.times.detect).toMatchObject({ ms: 360_000, overParMs: 180_000, verdict: 'over par by 3m' });
    expect(part(g, 'detect').points).toBe(defaultWeights.detect / 2);
  });

  it("when the scenario's grading block changes the weights and the run is sped up, then par scales and the scenario's weights are used", () => {
    const g = gradeRun({
      journal: journal(...before, ...fixed),
      scenario: { ...scenario, grading: { weights: { pir: 0, rootCause: 20 } } },
      speed: 10,
      collateral: [],
    });
    expect(g.times.detect.parMs).toBe(18_000);
    expect(part(g, 'rootCause').max).toBe(20);
    expect(part(g, 'pir').max).toBe(0);
  });

  it('when the cause expired by itself, then mitigation counts and is flagged as expiry', () => {
    const expired: Entry[] = [
      [600, 'cause.ended', { step: 0, by: 'expired' }],
      [630, 'probe.passing', { probe }],
      [780, 'incident.resolved', { incidentId: 'inc-1', category: 'bad-release', summary: null }, 'trainee:ada'],
      [800, 'run.state', { state: 'resolved' }],
    ];
    const g = grade([...before, ...expired]);
    expect(g.mitigatedBy).toBe('expiry');
    expect(g.times.mitigate.ms).toBe(570_000);
  });
});

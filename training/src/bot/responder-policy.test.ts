import { describe, expect, it } from 'vitest';
import type { Observations, RunView } from './observations.ts';
import { decide, remember, type Decision, type ResponderMemory } from './responder-policy.ts';
import { deploy, observe, page, t0 } from './test-observations.ts';

const MB = 2 ** 20;
const live = (holdingForMs = 0): RunView => ({ state: 'live', holdingForMs, probes: [] });
const graceMs = 60_000;

/** Plays rounds through `decide`, remembering each as the responder does. */
function play(rounds: Array<{ obs: Observations; run: RunView }>): { decisions: Decision[]; memory: ResponderMemory } {
  const memory: ResponderMemory = { pulls: [] };
  const decisions = rounds.map(({ obs, run }) => {
    const decision = decide(memory, obs, run, { graceMs });
    remember(memory, obs, decision);
    return decision;
  });
  return { decisions, memory };
}

const pulled = (decisions: Decision[]) => decisions.flatMap((d) => (d.do === 'pull' ? [d.candidate.lever] : []));

describe('the responder over time', () => {
  it('when symptoms show but nothing has paged, then it waits', () => {
    const decision = decide({ pulls: [] }, observe({ metrics: { p95Seconds: { api: 0.6, payments: 0.55 } } }), live());
    expect(decision).toMatchObject({ do: 'wait', why: 'no page yet' });
  });

  it('when the run has ended, then it finishes whatever it sees', () => {
    expect(decide({ pulls: [] }, observe({ alerts: [page('ApiHighLatencyP95')] }), { ...live(), state: 'resolved' })).toMatchObject({ do: 'finish' });
  });

  it('when Lab 1 pages and the rollback makes the probes hold, then it pulls rollback payments once and nothing else', () => {
    const slow = {
      alerts: [page('ApiHighLatencyP95')],
      releases: [deploy('payments', '2.4.0', t0 - 30_000)],
      metrics: { p95Seconds: { api: 0.6, payments: 0.55 } },
    };
    const rolledBack = [
      { service: 'payments', action: 'rollback' as const, version: '2.3.0', previousVersion: '2.4.0', at: t0 + 20_000 },
      deploy('payments', '2.4.0', t0 - 30_000),
    ];
    const { decisions } = play([
      { obs: observe({ ...slow, at: t0 + 20_000 }), run: live() },
      // The 1-minute p95 still holds the slow minute: within the grace period it waits.
      { obs: observe({ ...slow, releases: rolledBack, at: t0 + 50_000 }), run: live() },
      // After the grace period the p95 fell and the probes hold: it keeps watching.
      { obs: observe({ releases: rolledBack, at: t0 + 100_000 }), run: live(15_000) },
      { obs: observe({ releases: rolledBack, at: t0 + 160_000 }), run: { ...live(75_000), state: 'resolved' } },
    ]);
    expect(pulled(decisions)).toEqual(['rollback payments']);
    expect(decisions.map((d) => d.do)).toEqual(['pull', 'wait', 'wait', 'finish']);
  });

  it('when a lever eased nothing after its grace period, then it escalates to the next candidate', () => {
    const stillFailing = {
      alerts: [page('PaymentSuccessRateLow')],
      metrics: { paymentFailureRatio: 0.4, paymentFailures: [{ gateway: 'primary', reason: 'gateway_timeout', perSecond: 2 }] },
    };
    const { decisions } = play([
      { obs: observe({ ...stillFailing, at: t0 + 10_000 }), run: live() },
      // Failover pulled, yet the flag view lags and failures persist past the grace period.
      { obs: observe({ ...stillFailing, at: t0 + 10_000 + graceMs + 1_000 }), run: live() },
    ]);
    expect(pulled(decisions)).toEqual(['failover payments', 'flag api.payment-timeout-ms 800']);
  });

  describe('heap exhaustion: the tempting restart only eases', () => {
    const climbing = (at: number, starts: number, memory: number) =>
      observe({
        at,
        alerts: [page('ApiHighLatencyP95', t0)],
        releases: [deploy('api', '2.5.0', t0 - 60_000)],
        metrics: { apiHeapUsedBytes: memory * MB, apiHeapSlopeBytesPerMinute: 120 * MB, apiStarts10m: starts, p95Seconds: { api: 0.4, payments: 0.06 } },
      });
    const afterRestart = (at: number) =>
      observe({ at, releases: [deploy('api', '2.5.0', t0 - 60_000)], metrics: { apiHeapUsedBytes: 55 * MB, apiHeapSlopeBytesPerMinute: 0, apiStarts10m: 1 } });

    it('when the heap climbs again after the restart, then it does not stop at restart: it rolls back the api', () => {
      const { decisions } = play([
        // First climb: restart api buys time.
        { obs: climbing(t0 + 10_000, 0, 170), run: live() },
        // Memory given back, the page clears; the restart probe still fails for a while.
        { obs: afterRestart(t0 + 40_000), run: live() },
        { obs: afterRestart(t0 + 80_000), run: live() },
        // The heap climbs again at the same slope: escalate.
        { obs: climbing(t0 + 130_000, 1, 140), run: live() },
      ]);
      expect(pulled(decisions)).toEqual(['restart api', 'rollback api']);
      const escalation = decisions.at(-1);
      expect(escalation?.do === 'pull' && escalation.why).toMatch(/after restart api/);
    });

    it('when the probes hold for a moment while the heap climbs again, then it still escalates: a climbing heap does not wait for the crash', () => {
      const { decisions } = play([
        { obs: climbing(t0 + 10_000, 0, 170), run: live() },
        { obs: afterRestart(t0 + 80_000), run: live(20_000) },
        { obs: climbing(t0 + 120_000, 1, 120), run: live(60_000) },
      ]);
      expect(pulled(decisions)).toEqual(['restart api', 'rollback api']);
    });

    it('when paged for an api that keeps dying (native lab: each death restarts it), then restart, and after the grace period, still dying, rollback', () => {
      const dying = (at: number, starts: number) =>
        observe({
          at,
          alerts: [page('ServiceRestartingUnexpectedly', t0, { service: 'api' })],
          releases: [deploy('api', '2.5.0', t0 - 70_000)],
          metrics: { apiHeapUsedBytes: 40 * MB, apiHeapPeakBytes: 185 * MB, apiHeapSlopeBytesPerMinute: 125 * MB, apiStarts10m: starts },
        });
      const { decisions } = play([
        { obs: dying(t0 + 5_000, 2), run: live() },
        // Within the grace period the restart's own life has not ended yet.
        { obs: dying(t0 + 40_000, 3), run: live() },
        { obs: dying(t0 + 5_000 + graceMs + 5_000, 4), run: live() },
      ]);
      expect(pulled(decisions)).toEqual(['restart api', 'rollback api']);
    });

    it('when the heap stays flat after the restart and the probes hold, then it pulls nothing more', () => {
      const { decisions } = play([
        { obs: climbing(t0 + 10_000, 0, 170), run: live() },
        { obs: afterRestart(t0 + 100_000), run: live(30_000) },
        { obs: afterRestart(t0 + 200_000), run: live(130_000) },
      ]);
      expect(pulled(decisions)).toEqual(['restart api']);
    });
  });

  it('when the worker crash-loops on a named job, then it dead-letters it once (its runbook restarts the worker right after) and pulls nothing more', () => {
    const looping = observe({
      alerts: [page('WorkerCrashLooping')],
      metrics: { workerStarts3m: 3, queueBacklog: 30 },
      poisonJob: { id: 'legacy-abc', crashes: 3 },
    });
    const { decisions, memory } = play([
      { obs: { ...looping, at: t0 + 10_000 }, run: live() },
      { obs: { ...looping, at: t0 + 12_000 }, run: live() },
      { obs: { ...looping, at: t0 + 20_000 }, run: live() },
    ]);
    expect(pulled(decisions)).toEqual(['dead-letter legacy-abc']);
    expect(memory.pulls.map((p) => p.lever)).toEqual(['dead-letter legacy-abc', 'restart worker']);
    expect(decisions.slice(1).map((d) => d.do)).toEqual(['wait', 'wait']);
  });

  it('when the database path is down outside the team (Lab 3b), then degraded mode on, wait without pulling anything else, and off again once postgres is back', () => {
    const down = (at: number, degraded: boolean) =>
      observe({
        at,
        alerts: [page('DatabaseDown'), page('ApiNotReady')],
        flags: { 'api.degraded-mode': degraded },
        metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true } },
      });
    const { decisions } = play([
      { obs: down(t0 + 10_000, false), run: live() },
      { obs: down(t0 + 100_000, true), run: live() },
      { obs: down(t0 + 150_000, true), run: live() },
      { obs: observe({ at: t0 + 200_000, flags: { 'api.degraded-mode': true } }), run: live(10_000) },
      { obs: observe({ at: t0 + 300_000 }), run: live(110_000) },
    ]);
    expect(pulled(decisions)).toEqual(['flag api.degraded-mode true', 'flag api.degraded-mode false']);
    expect(decisions[1]).toMatchObject({ do: 'wait', why: expect.stringMatching(/no untried lever/) });
  });

  it('when the database comes back within the grace period of degraded mode, then degraded mode goes off at once', () => {
    const { decisions } = play([
      {
        obs: observe({
          at: t0 + 10_000,
          alerts: [page('DatabaseDown')],
          metrics: { apiDependencyUp: { postgres: false, redis: true, payments: true } },
        }),
        run: live(),
      },
      { obs: observe({ at: t0 + 30_000, flags: { 'api.degraded-mode': true } }), run: live(5_000) },
    ]);
    expect(pulled(decisions)).toEqual(['flag api.degraded-mode true', 'flag api.degraded-mode false']);
  });

  it('when degraded mode was switched on by someone else, then the bot leaves it to them', () => {
    const decision = decide({ pulls: [], pagedAt: t0 }, observe({ flags: { 'api.degraded-mode': true } }), live());
    expect(decision.do).toBe('wait');
  });
});

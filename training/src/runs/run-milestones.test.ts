import { describe, expect, it } from 'vitest';
import { runMilestones, type JournalEvent } from './run-milestones.ts';

/** A journal written by hand: `at` is seconds after 12:00:00, ids follow the order given. */
function journal(...entries: [seconds: number, kind: string, data?: Record<string, unknown>, actor?: string][]): JournalEvent[] {
  return entries.map(([seconds, kind, data = {}, actor = 'scenario'], i) => ({ id: i + 1, at: iso(seconds), actor, kind, data }));
}
const iso = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, 0) + seconds * 1000).toISOString();
const ms = (seconds: number) => Date.parse(iso(seconds));

const p95 = 'checkout p95 below 300 ms';
const errors = 'api answers under 5% server errors';
const lab1Step = { step: 0, endsWith: ['rollback payments'], eases: ['flag payments.fraud-check false'], actions: [{ kind: 'inject' }] };

describe('runMilestones', () => {
  it('when Lab 1 is rolled back, then fault, first alert after it, the ending lever, the hold and the end come from the journal', () => {
    const m = runMilestones(
      journal(
        [0, 'run.state', { state: 'warming' }],
        [5, 'probe.passing', { probe: p95 }],
        [5, 'probe.passing', { probe: errors }],
        [15, 'run.state', { state: 'live' }],
        // Fired before the fault: not this incident's alert.
        [20, 'alert.fired', { alertname: 'WorkerNotProcessing', firedAt: iso(18) }, 'alertmanager'],
        [60, 'cause.started', lab1Step],
        [60, 'fault.injected', { family: 'latency', target: 'payments' }],
        [80, 'probe.failing', { probe: p95 }],
        // Recorded on the run's next alert poll, after Prometheus fired it.
        [104, 'alert.fired', { alertname: 'ApiHighLatencyP95', firedAt: iso(101) }, 'alertmanager'],
        [110, 'alert.fired', { alertname: 'CheckoutLatencyBudgetBurn', firedAt: iso(99) }, 'alertmanager'],
        [130, 'lever.applied', { lever: 'flag payments.fraud-check false', matched: 'eases' }, 'operator:bot'],
        [150, 'lever.applied', { lever: 'rollback payments', matched: 'ends' }, 'operator:bot'],
        [151, 'cause.ended', { step: 0, by: 'lever', leverEventId: 12 }],
        [185, 'probe.passing', { probe: p95 }],
        [245, 'run.state', { state: 'resolved', reason: 'every cause ended and the probes held for 60s' }],
      ),
    );
    expect(m).toMatchObject({ state: 'resolved', liveAtMs: ms(15), endedAtMs: ms(245), lastCauseEndedAtMs: ms(151), holdingAtMs: ms(185) });
    expect(m.fault).toEqual({ atMs: ms(60), family: 'latency', target: 'payments' });
    expect(m.firstAlert).toEqual({ atMs: ms(99), alertname: 'CheckoutLatencyBudgetBurn' });
    expect(m.mitigation).toEqual({ atMs: ms(150), actor: 'operator:bot', lever: 'rollback payments', matched: 'ends', endedCause: true });
    expect(m.levers.map((l) => l.lever)).toEqual(['flag payments.fraud-check false', 'rollback payments']);
  });

  it('when the cause expires (the path comes back by itself), then the first lever after the fault is named, not as the ending one, and the hold starts no earlier than the end', () => {
    const m = runMilestones(
      journal(
        [0, 'run.state', { state: 'live' }],
        [0, 'probe.passing', { probe: 'api ready' }],
        [40, 'lever.applied', { lever: 'scale worker 2', matched: null }, 'operator:bot'],
        [45, 'cause.started', { step: 0, endsWith: [], actions: [{ kind: 'inject', durationMs: 120_000 }] }],
        [45, 'fault.injected', { family: 'database-loss' }],
        [70, 'lever.applied', { lever: 'flag api.degraded-mode true', matched: 'eases' }, 'operator:bot'],
        [165, 'cause.ended', { step: 0, by: 'expired' }],
        [230, 'run.state', { state: 'resolved' }],
      ),
    );
    expect(m.mitigation).toMatchObject({ atMs: ms(70), lever: 'flag api.degraded-mode true', endedCause: false });
    // The probe never failed: the hold counts from the cause's end, as the run's verdict does.
    expect(m.holdingAtMs).toBe(ms(165));
    expect(m.firstAlert).toBeUndefined();
  });

  it('when a cause is still open at the timebox, then nothing holds, even with every probe passing', () => {
    const m = runMilestones(
      journal(
        [0, 'run.state', { state: 'live' }],
        [10, 'cause.started', lab1Step],
        [10, 'fault.injected', { family: 'latency' }],
        [12, 'probe.passing', { probe: p95 }],
        [1200, 'run.state', { state: 'timed_out', reason: 'the timebox (1200s) ran out: 1 cause(s) still active' }],
      ),
    );
    expect(m).toMatchObject({ state: 'timed_out', holdingAtMs: undefined, mitigation: undefined, endedAtMs: ms(1200) });
  });

  it('when a probe fails again after passing, then the hold starts at its last recovery; a step that starts no cause does not keep the run open', () => {
    const m = runMilestones(
      journal(
        [0, 'run.state', { state: 'live' }],
        [20, 'cause.started', { step: 0, endsWith: ['flag api.payment-retries 3'], actions: [{ kind: 'flag' }, { kind: 'inject' }] }],
        [20, 'fault.injected', { family: 'retry-amplification', target: 'api' }],
        [40, 'cause.started', { step: 1, endsWith: [], actions: [{ kind: 'flag' }] }],
        [50, 'probe.failing', { probe: errors }],
        [90, 'lever.applied', { lever: 'flag api.payment-retries 3', matched: 'ends' }, 'operator:bot'],
        [91, 'cause.ended', { step: 0, by: 'lever', leverEventId: 6 }],
        [100, 'probe.passing', { probe: errors }],
        [105, 'probe.failing', { probe: errors }],
        [120, 'probe.passing', { probe: errors }],
        [250, 'run.state', { state: 'resolved' }],
      ),
    );
    expect(m.holdingAtMs).toBe(ms(120));
    expect(m.mitigation).toMatchObject({ atMs: ms(90), endedCause: true });
  });

  it('when the journal arrives out of order, then it is read in id order', () => {
    const events = journal(
      [0, 'run.state', { state: 'live' }],
      [10, 'fault.injected', { family: 'errors' }],
      [30, 'alert.fired', { alertname: 'ApiErrorRateHigh' }, 'alertmanager'],
      [40, 'run.state', { state: 'stopped', reason: 'stopped by bench' }],
    ).reverse();
    const m = runMilestones(events);
    // No firedAt on the event: the time the run recorded it stands in.
    expect(m).toMatchObject({ state: 'stopped', reason: 'stopped by bench', firstAlert: { atMs: ms(30), alertname: 'ApiErrorRateHigh' } });
  });
});

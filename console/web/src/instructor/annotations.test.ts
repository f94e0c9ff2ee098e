import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../run-events.ts';
import { runAnnotations, runWindow } from './annotations.ts';
import type { JournalEntry } from './instructor-types.ts';

const t0 = Date.parse('2026-11-29T10:00:00.000Z') / 1000;
const iso = (offsetSeconds: number) => new Date((t0 + offsetSeconds) * 1000).toISOString();
const event = (id: number, offset: number, kind: string, data: Record<string, unknown> = {}): RunEvent => ({ id, at: iso(offset), actor: 'lab', kind, data });
const entry = (offset: number, action: string, faultId: string, details: Record<string, unknown> = {}, actor = 'instructor'): JournalEntry => ({
  at: iso(offset),
  actor,
  action,
  faultId,
  details,
});

describe('the debrief marks', () => {
  it("when a run ended, then the window is a minute either side of its live span; a going run's ends now", () => {
    expect(runWindow({ createdAt: iso(-30), liveAt: iso(0), endedAt: iso(600) }, 0)).toEqual({ from: t0 - 60, to: t0 + 660 });
    expect(runWindow({ createdAt: iso(0), liveAt: null, endedAt: null }, (t0 + 100) * 1000)).toEqual({ from: t0 - 60, to: t0 + 160 });
  });

  it("when the run's driver injected a fault and a cause ran, then they are marked, incident commands are not", () => {
    const events = [
      event(1, 0, 'run.state', { state: 'live' }),
      event(2, 60, 'cause.started', { step: 0 }),
      event(3, 60, 'fault.injected', { faultId: 'f-driver', family: 'latency', target: 'payments' }),
      event(4, 90, 'incident.declared', { title: 'slow' }),
      event(5, 151, 'cause.ended', { step: 0, by: 'lever' }),
      event(6, 151, 'fault.cleared', { faultId: 'f-driver' }),
    ];
    // The driver's own fault is in the journal too: it is not a curveball.
    const journal = [entry(60, 'inject', 'f-driver', { spec: { family: 'latency', target: 'payments' } }, 'training')];
    expect(runAnnotations(events, journal, { from: t0 - 60, to: t0 + 300 })).toEqual([
      { at: t0 + 60, label: 'cause started (step 0)' },
      { at: t0 + 60, label: 'fault injected: latency on payments' },
      { at: t0 + 151, label: 'cause ended (lever)' },
      { at: t0 + 151, label: 'fault cleared' },
    ]);
  });

  it('when the instructor threw a curveball during the run, then its injection and clearing are marked; faults outside the run are not', () => {
    const journal = [
      // Newest first, as the controller answers.
      entry(200, 'clear', 'f-curve'),
      entry(120, 'execute', 'f-curve', {}, 'agent:api'),
      entry(100, 'inject', 'f-curve', { spec: { family: 'errors', target: 'api' } }, 'instructor'),
      entry(-600, 'inject', 'f-before', { spec: { family: 'latency', target: 'api' } }),
    ];
    expect(runAnnotations([], journal, { from: t0 - 60, to: t0 + 300 })).toEqual([
      { at: t0 + 100, label: 'curveball: errors on api (by instructor)' },
      { at: t0 + 200, label: 'curveball cleared' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/command.ts';
import { incidentSummary, requestFor } from './incident.ts';

describe('lab incident: what each action sends', () => {
  it('when declare has a title and a severity, then it posts them; P7 or no title is a usage error naming the option', () => {
    expect(requestFor('declare', [], { title: 'Checkout is slow', severity: 'P2' })).toEqual({
      path: 'declare',
      body: { title: 'Checkout is slow', severity: 'P2' },
    });
    expect(() => requestFor('declare', [], { title: 'x', severity: 'P7' })).toThrow(new UsageError('--severity must be one of P0, P1, P2, P3, not "P7"'));
    expect(() => requestFor('declare', [], { severity: 'P2' })).toThrow(/--title is required/);
  });

  it('when update has --next, then it is whole minutes; the kind defaults to update', () => {
    expect(requestFor('update', [], { text: 'still on it', impact: 'slow checkout', next: '15' })).toEqual({
      path: 'update',
      body: { kind: 'update', text: 'still on it', impact: 'slow checkout', nextUpdateMinutes: 15 },
    });
    expect(() => requestFor('update', [], { text: 't', next: 'soon' })).toThrow(/whole minutes/);
  });

  it('when role, severity, note or resolve are given their words, then they become the body; a missing trainee or unknown role is a usage error', () => {
    expect(requestFor('role', ['ic', 'ada'], {})).toEqual({ path: 'role', body: { role: 'ic', trainee: 'ada' } });
    expect(() => requestFor('role', ['ic'], {})).toThrow(UsageError);
    expect(() => requestFor('role', ['boss', 'ada'], {})).toThrow(/the role must be one of ic, ops, comms, scribe/);
    expect(requestFor('severity', ['P1'], { reason: 'worse' })).toEqual({ path: 'severity', body: { severity: 'P1', reason: 'worse' } });
    expect(requestFor('note', ['p95', 'rose'], {})).toEqual({ path: 'note', body: { text: 'p95 rose' } });
    expect(requestFor('resolve', [], { category: 'bad-release' })).toEqual({ path: 'resolve', body: { category: 'bad-release' } });
    expect(() => requestFor('resolve', [], { category: 'gremlins' })).toThrow(UsageError);
  });

  it('when status or timeline are asked, then nothing is posted', () => {
    expect(requestFor('status', [], {})).toBeUndefined();
    expect(requestFor('timeline', [], {})).toBeUndefined();
  });
});

describe('lab incident status: the summary', () => {
  it('when an incident is declared with a role and an update, then the summary names them', () => {
    const text = incidentSummary({
      runId: 'run-1',
      runState: 'live',
      team: null,
      status: 'declared',
      pages: [{ at: '2026-01-01T10:00:00.000Z', actor: 'lab', alertname: 'ApiHighLatencyP95', summary: null }],
      acknowledged: { at: '2026-01-01T10:01:00.000Z', actor: 'operator:ada' },
      incident: {
        id: 'inc-1',
        title: 'Checkout is slow',
        severity: 'P2',
        declared: { at: '2026-01-01T10:02:00.000Z', actor: 'operator:ada' },
        severityChanges: [],
        roles: { ic: 'ada', ops: null, comms: null, scribe: null },
        updates: [{ at: '2026-01-01T10:03:00.000Z', actor: 'operator:ada', kind: 'ack', text: 't', impact: 'i', nextUpdateMinutes: 15 }],
        notes: [],
        mitigated: null,
        resolved: null,
      },
      hintsTaken: [],
    });
    expect(text).toContain('run run-1 (live): declared');
    expect(text).toContain('ApiHighLatencyP95');
    expect(text).toContain('inc-1 "Checkout is slow" P2');
    expect(text).toContain('roles      ic=ada');
    expect(text).toContain('next promised in 15 min');
  });
});

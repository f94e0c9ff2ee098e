import { describe, expect, it } from 'vitest';
import { decide, type IncidentCommand } from './incident-decide.ts';
import { foldIncident, type IncidentJournalEvent, type IncidentState } from './incident-state.ts';

/** A journal built by hand: each command decided against the fold so far, its events stamped a minute apart. */
function play(commands: IncidentCommand[], start: IncidentJournalEvent[] = []): { events: IncidentJournalEvent[]; state: IncidentState } {
  const events = [...start];
  for (const command of commands) {
    const decision = decide(command, foldIncident(events), { newIncidentId: 'inc-1' });
    if (!decision.ok) throw new Error(`refused: ${decision.refusal.message}`);
    for (const event of decision.events)
      events.push({ id: events.length + 1, at: new Date(Date.UTC(2026, 0, 1, 10, events.length)).toISOString(), actor: 'trainee:ada', ...event });
  }
  return { events, state: foldIncident(events) };
}
const refusalOf = (command: IncidentCommand, before: IncidentCommand[]) => {
  const decision = decide(command, play(before).state, { newIncidentId: 'inc-2' });
  if (decision.ok) throw new Error('expected a refusal');
  return decision.refusal;
};

const declare: IncidentCommand = { kind: 'declare', title: 'Checkout is slow', severity: 'P2' };
const page: IncidentJournalEvent = {
  id: 1,
  at: '2026-01-01T09:59:00.000Z',
  actor: 'lab',
  kind: 'page',
  data: { alertname: 'ApiHighLatencyP95', summary: null },
};

describe('the incident fold', () => {
  it('when nothing happened, then the status is none', () => {
    expect(foldIncident([]).status).toBe('none');
  });

  it('when the team is paged, then it is open with the page, and an acknowledgement before declaring keeps it open', () => {
    const { state } = play([{ kind: 'ack' }], [page]);
    expect(state.status).toBe('open');
    expect(state.pages).toEqual([{ at: page.at, actor: 'lab', alertname: 'ApiHighLatencyP95', summary: null }]);
    expect(state.acknowledged?.actor).toBe('trainee:ada');
  });

  it('when an incident goes declare → severity → role → update → note → mitigated → resolved, then the state holds every step with its event time', () => {
    const { events, state } = play([
      declare,
      { kind: 'severity', severity: 'P1', reason: 'all checkouts' },
      { kind: 'role', role: 'ic', trainee: 'ada' },
      { kind: 'update', updateKind: 'ack', text: 'We are on it', impact: 'checkout slow', nextUpdateMinutes: 15 },
      { kind: 'note', text: 'p95 rose at 10:02' },
      { kind: 'mitigated' },
      { kind: 'resolve', category: 'bad-release', summary: 'rolled back payments' },
    ]);
    expect(state.status).toBe('resolved');
    const incident = state.incident!;
    expect(incident).toMatchObject({ id: 'inc-1', title: 'Checkout is slow', severity: 'P1', roles: { ic: 'ada', ops: null, comms: null, scribe: null } });
    expect(incident.declared.at).toBe(events[0]!.at);
    expect(incident.severityChanges).toEqual([{ at: events[1]!.at, actor: 'trainee:ada', severity: 'P1', previous: 'P2', reason: 'all checkouts' }]);
    expect(incident.updates[0]).toMatchObject({ kind: 'ack', impact: 'checkout slow', nextUpdateMinutes: 15 });
    expect(incident.notes.map((n) => n.text)).toEqual(['p95 rose at 10:02']);
    expect(incident.mitigated?.at).toBe(events[5]!.at);
    expect(incident.resolved).toMatchObject({ at: events[6]!.at, category: 'bad-release', summary: 'rolled back payments' });
  });

  it('when declared then mitigated, then the status reads declared then mitigated', () => {
    expect(play([declare]).state.status).toBe('declared');
    expect(play([declare, { kind: 'mitigated' }]).state.status).toBe('mitigated');
  });

  it('when hints are taken, then the fold lists them with their cost', () => {
    const hint: IncidentJournalEvent = {
      id: 9,
      at: '2026-01-01T10:09:00.000Z',
      actor: 'operator',
      kind: 'hint.taken',
      data: { index: 0, cost: 5, text: 'look' },
    };
    expect(foldIncident([hint]).hintsTaken).toEqual([{ at: hint.at, actor: 'operator', index: 0, cost: 5, text: 'look' }]);
  });

  it('when a journal has a resolve without mitigated (written by hand), then the resolve counts as the mitigation too', () => {
    const events: IncidentJournalEvent[] = [
      { id: 1, at: '2026-01-01T10:00:00.000Z', actor: 'a', kind: 'incident.declared', data: { incidentId: 'x', title: 't', severity: 'P3' } },
      { id: 2, at: '2026-01-01T10:05:00.000Z', actor: 'a', kind: 'incident.resolved', data: { incidentId: 'x', category: null, summary: null } },
    ];
    expect(foldIncident(events).incident?.mitigated?.at).toBe('2026-01-01T10:05:00.000Z');
  });

  it('when events of other kinds are in the journal, then they change nothing', () => {
    const other: IncidentJournalEvent = { id: 1, at: '2026-01-01T10:00:00.000Z', actor: 'x', kind: 'probe.failing', data: {} };
    expect(foldIncident([other])).toEqual(foldIncident([]));
  });
});

describe('decide: the order rules', () => {
  it('when the page is acknowledged before declaring, then the acknowledgement names no incident; after declaring it names the incident', () => {
    const before = decide({ kind: 'ack' }, foldIncident([page]), { newIncidentId: 'inc-1' });
    expect(before).toEqual({ ok: true, events: [{ kind: 'incident.acknowledged', data: { incidentId: null } }] });
    const after = decide({ kind: 'ack' }, play([declare]).state, { newIncidentId: 'inc-9' });
    expect(after).toEqual({ ok: true, events: [{ kind: 'incident.acknowledged', data: { incidentId: 'inc-1' } }] });
  });

  it('when the page was acknowledged already, then a second acknowledgement is a conflict', () => {
    expect(refusalOf({ kind: 'ack' }, [{ kind: 'ack' }]).reason).toBe('conflict');
    expect(refusalOf({ kind: 'ack' }, [declare, { kind: 'ack' }]).reason).toBe('conflict');
  });

  it('when the incident is resolved, then acknowledging is a conflict', () => {
    expect(refusalOf({ kind: 'ack' }, [declare, { kind: 'resolve', category: null, summary: null }]).reason).toBe('conflict');
  });

  it('when a second declaration comes in the same run, then it is refused naming the first incident, resolved or not', () => {
    expect(refusalOf(declare, [declare])).toMatchObject({ reason: 'already_declared', incidentId: 'inc-1' });
    expect(refusalOf(declare, [declare, { kind: 'resolve', category: null, summary: null }])).toMatchObject({
      reason: 'already_declared',
      incidentId: 'inc-1',
    });
  });

  it.each<IncidentCommand>([
    { kind: 'severity', severity: 'P1', reason: 'r' },
    { kind: 'role', role: 'ic', trainee: 'ada' },
    { kind: 'update', updateKind: 'update', text: 't', impact: null, nextUpdateMinutes: 10 },
    { kind: 'note', text: 'n' },
    { kind: 'mitigated' },
    { kind: 'resolve', category: null, summary: null },
  ])('when $kind comes before any declaration, then it is refused: declare first', (command) => {
    expect(refusalOf(command, []).reason).toBe('not_declared');
    expect(refusalOf(command, [{ kind: 'ack' }]).message).toContain('Declare the incident first');
  });

  it('when resolve comes straight after declare, then mitigated is appended before resolved (mitigation implied)', () => {
    const decision = decide({ kind: 'resolve', category: 'capacity', summary: null }, play([declare]).state, { newIncidentId: 'x' });
    expect(decision.ok && decision.events.map((e) => e.kind)).toEqual(['incident.mitigated', 'incident.resolved']);
  });

  it('when resolve comes after mitigated, then only resolved is appended', () => {
    const decision = decide({ kind: 'resolve', category: null, summary: null }, play([declare, { kind: 'mitigated' }]).state, { newIncidentId: 'x' });
    expect(decision.ok && decision.events.map((e) => e.kind)).toEqual(['incident.resolved']);
  });

  it('when mitigated or resolved is asked twice, then the second is a conflict', () => {
    expect(refusalOf({ kind: 'mitigated' }, [declare, { kind: 'mitigated' }]).reason).toBe('conflict');
    expect(refusalOf({ kind: 'mitigated' }, [declare, { kind: 'resolve', category: null, summary: null }]).reason).toBe('conflict');
    expect(refusalOf({ kind: 'resolve', category: null, summary: null }, [declare, { kind: 'resolve', category: null, summary: null }]).reason).toBe(
      'conflict',
    );
  });

  it('when the severity is set to what it is, or changed after resolving, then it is a conflict; otherwise it records the previous one', () => {
    expect(refusalOf({ kind: 'severity', severity: 'P2', reason: 'same' }, [declare]).reason).toBe('conflict');
    expect(refusalOf({ kind: 'severity', severity: 'P1', reason: 'late' }, [declare, { kind: 'resolve', category: null, summary: null }]).reason).toBe(
      'conflict',
    );
    const decision = decide({ kind: 'severity', severity: 'P0', reason: 'worse' }, play([declare]).state, { newIncidentId: 'x' });
    expect(decision).toEqual({
      ok: true,
      events: [{ kind: 'incident.severity', data: { incidentId: 'inc-1', severity: 'P0', previous: 'P2', reason: 'worse' } }],
    });
  });

  it('when a role is given to the trainee who has it, or after resolving, then it is a conflict; another trainee takes it over', () => {
    const ic = (trainee: string): IncidentCommand => ({ kind: 'role', role: 'ic', trainee });
    expect(refusalOf(ic('ada'), [declare, ic('ada')]).reason).toBe('conflict');
    expect(refusalOf(ic('bob'), [declare, { kind: 'resolve', category: null, summary: null }]).reason).toBe('conflict');
    expect(play([declare, ic('ada'), ic('bob')]).state.incident?.roles.ic).toBe('bob');
  });

  it('when the incident is resolved, then updates and notes are still taken (the resolution update comes after)', () => {
    const { state } = play([
      declare,
      { kind: 'resolve', category: null, summary: null },
      { kind: 'update', updateKind: 'resolution', text: 'All fixed', impact: 'none now', nextUpdateMinutes: null },
      { kind: 'note', text: 'follow-up' },
    ]);
    expect(state.incident?.updates.map((u) => u.kind)).toEqual(['resolution']);
    expect(state.incident?.notes).toHaveLength(1);
  });
});

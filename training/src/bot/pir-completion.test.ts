import { describe, expect, it } from 'vitest';
import { unknownFigures } from '../pir/impact-figures.ts';
import { checkPir } from '../pir/pir-check.ts';
import { draftPir } from '../pir/pir-draft.ts';
import type { PirEvent, PirRun } from '../pir/pir-events.ts';
import { causeCategories } from '../incidents/incident-events.ts';
import { completePir, dueDate, type PirFacts } from './pir-completion.ts';

const t0 = Date.parse('2026-05-04T10:00:00.000Z');
let nextId = 1;
const event = (minute: number, kind: string, actor: string, data: Record<string, unknown> = {}): PirEvent => ({
  id: nextId++,
  at: new Date(t0 + minute * 60_000).toISOString(),
  kind,
  actor,
  data,
  visibility: 'everyone',
});

const run: PirRun = {
  id: 'run-0123456789ab',
  title: 'Checkout is slow',
  blind: false,
  state: 'resolved',
  liveAt: new Date(t0).toISOString(),
  endedAt: new Date(t0 + 12 * 60_000).toISOString(),
  team: null,
};

/** Lab 1 as the bot plays it: page, ack, declare, its roles, its updates, the runbook's rollback, resolve. */
const journal: PirEvent[] = [
  event(0, 'run.state', 'scenario', { state: 'live' }),
  event(1, 'deploy', 'scenario', { service: 'payments', version: '2.4.0', previousVersion: '2.3.0' }),
  event(2, 'probe.failing', 'scenario', { probe: 'checkout p95 below 300 ms' }),
  event(3, 'alert.fired', 'alertmanager', { alertname: 'ApiHighLatencyP95', summary: 'checkout p95 above 300 ms' }),
  event(3, 'page', 'lab', { alertname: 'ApiHighLatencyP95', summary: null }),
  event(3, 'incident.acknowledged', 'operator:bot', { incidentId: null }),
  event(3, 'incident.declared', 'operator:bot', { incidentId: 'inc-1', title: 'Checkout slow', severity: 'P2' }),
  event(3, 'incident.role', 'operator:bot', { incidentId: 'inc-1', role: 'ic', trainee: 'bot' }),
  event(3, 'incident.role', 'operator:bot', { incidentId: 'inc-1', role: 'ops', trainee: 'bot' }),
  event(3, 'incident.update', 'operator:bot', {
    incidentId: 'inc-1',
    kind: 'ack',
    text: 'We are investigating checkout slow.',
    impact: 'checkout works but is slow',
    nextUpdateMinutes: 5,
  }),
  event(4, 'runbook.step', 'operator:bot', { runbook: 'latency-rollback', step: 'roll back the service', status: 'started', output: '' }),
  event(4, 'lever.applied', 'operator:bot', { lever: 'rollback payments', summary: 'payments back on 2.3.0', matched: 'ends' }),
  event(6, 'probe.passing', 'scenario', { probe: 'checkout p95 below 300 ms' }),
  event(8, 'run.state', 'scenario', { state: 'resolved', reason: 'probes held' }),
  event(9, 'incident.mitigated', 'operator:bot', { incidentId: 'inc-1' }),
  event(9, 'incident.resolved', 'operator:bot', { incidentId: 'inc-1', category: 'bad-release', summary: 'Ended by rollback payments (bad-release).' }),
  event(9, 'incident.update', 'operator:bot', {
    incidentId: 'inc-1',
    kind: 'resolution',
    text: 'Resolved: checkout is back to normal.',
    impact: 'slow checkout',
    nextUpdateMinutes: null,
  }),
];

const facts: PirFacts = {
  author: 'bot',
  symptoms: ['payments p95 is 560 ms (over 300 ms)'],
  evidence: ['payments p95 is 560 ms (over 300 ms)', 'payments 2.4.0 deployed at 10:01 (was 2.3.0), just before p95 rose'],
  actions: [{ lever: 'rollback payments', runbook: 'latency-rollback' }],
  category: 'bad-release',
  today: '2026-05-04',
};

describe("the bot's review", () => {
  it('when the lab drafts Lab 1 and the bot completes it, then the real checker finds nothing and no placeholder is left', () => {
    const draft = draftPir(run, journal, unknownFigures('Prometheus away'));
    expect(checkPir(draft).length).toBeGreaterThan(0);
    const review = completePir(draft, facts);
    expect(checkPir(review, { names: ['bot'] })).toEqual([]);
    expect(review).not.toContain('TODO(team)');
    expect(review).toContain('- **Status:** final');
    // Three action items, one of each type, owned and due.
    expect(review).toMatch(/\| mitigate \| bot \| 2026-05-11 \|/);
    expect(review).toMatch(/\| prevent \| bot \| 2026-06-03 \|/);
    expect(review).toMatch(/\| process \| bot \| 2026-05-18 \|/);
  });

  it('when the cause is any category, or none was named, then the completed review still passes the checker', () => {
    const draft = draftPir(run, journal, unknownFigures('Prometheus away'));
    for (const category of [...causeCategories, undefined]) {
      expect(checkPir(completePir(draft, { ...facts, category, actions: [] }), { names: ['bot'] }), String(category)).toEqual([]);
    }
  });

  it('when the due date crosses a month or a year, then it is the calendar date', () => {
    expect(dueDate('2026-12-28', 7)).toBe('2027-01-04');
    expect(dueDate('2026-02-25', 7)).toBe('2026-03-04');
  });
});

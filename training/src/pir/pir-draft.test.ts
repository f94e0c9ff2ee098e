import { describe, expect, it } from 'vitest';
import type { ImpactFigures } from './impact-figures.ts';
import { unknownFigures } from './impact-figures.ts';
import { impactWindow } from './impact-window.ts';
import { checkPir } from './pir-check.ts';
import { draftPir } from './pir-draft.ts';
import type { PirEvent, PirRun } from './pir-events.ts';

const t0 = Date.parse('2025-03-04T10:00:00.000Z');
let nextId = 1;
const event = (minute: number, kind: string, actor: string, data: Record<string, unknown> = {}, visibility: PirEvent['visibility'] = 'everyone'): PirEvent => ({
  id: nextId++,
  at: new Date(t0 + minute * 60_000).toISOString(),
  kind,
  actor,
  data,
  visibility,
});

const run: PirRun = {
  id: 'run-0123456789ab',
  title: 'Checkout is slow',
  blind: false,
  state: 'resolved',
  liveAt: new Date(t0).toISOString(),
  endedAt: new Date(t0 + 20 * 60_000).toISOString(),
  team: 'red',
};

/** Lab 1 as a team plays it: the fault (instructor-only), an alert, a page, roles, a rollback, recovery. */
const journal: PirEvent[] = [
  event(0, 'run.state', 'scenario', { state: 'live' }),
  event(1, 'fault.injected', 'scenario', { family: 'latency', target: 'payments', ms: 500 }, 'instructor'),
  event(1, 'deploy', 'scenario', { service: 'payments', version: '2.4.0', previousVersion: '2.3.0' }),
  event(2, 'probe.failing', 'scenario', { probe: 'checkout p95 below 300 ms' }),
  event(3, 'alert.fired', 'alertmanager', { alertname: 'ApiHighLatencyP95', summary: 'checkout p95 above 300 ms' }),
  event(3, 'page', 'lab', { alertname: 'ApiHighLatencyP95', summary: null }),
  event(4, 'incident.acknowledged', 'trainee:ada', { incidentId: 'inc-1' }),
  event(5, 'incident.declared', 'trainee:ada', { incidentId: 'inc-1', title: 'Checkout slow', severity: 'P2' }),
  event(5, 'incident.role', 'trainee:ada', { incidentId: 'inc-1', role: 'ic', trainee: 'ada' }),
  event(5, 'incident.role', 'trainee:ada', { incidentId: 'inc-1', role: 'ops', trainee: 'grace' }),
  event(6, 'incident.update', 'trainee:ada', {
    incidentId: 'inc-1',
    kind: 'ack',
    text: 'Checkout is slow; next update in 15 min',
    impact: 'slow checkout',
    nextUpdateMinutes: 15,
  }),
  event(8, 'lever.applied', 'trainee:grace', { lever: 'rollback payments', summary: 'payments back on 2.3.0', matched: 'ends' }),
  event(8, 'cause.ended', 'scenario', { step: 0, by: 'lever' }, 'instructor'),
  event(9, 'probe.passing', 'scenario', { probe: 'checkout p95 below 300 ms' }),
  event(10, 'incident.mitigated', 'trainee:ada', { incidentId: 'inc-1' }),
  event(12, 'incident.resolved', 'trainee:ada', { incidentId: 'inc-1', category: 'bad-release', summary: 'payments 2.4.0 slow' }),
  event(12, 'run.state', 'scenario', { state: 'resolved', reason: 'probes held' }),
];

const figures: ImpactFigures = { ordersFailed: 37, checkoutErrors: 4, paymentsFailed: 0, errorBudgetBurnedPercent: 12.5, notes: [] };

describe('impactWindow', () => {
  it('when a probe fails after the run went live and later all pass, then the window runs from the first sign to the probes passing', () => {
    expect(impactWindow(journal.filter((e) => e.visibility === 'everyone'))).toEqual({
      startMs: t0 + 2 * 60_000,
      endMs: t0 + 9 * 60_000,
      endedBy: 'probes held',
    });
  });

  it('when the probes never pass again, then the team marking it mitigated ends it, else the run ending', () => {
    const noRecovery = journal.filter((e) => e.kind !== 'probe.passing');
    expect(impactWindow(noRecovery)?.endedBy).toBe('mitigated');
    expect(impactWindow(noRecovery.filter((e) => !e.kind.startsWith('incident.')))).toMatchObject({ endMs: t0 + 12 * 60_000, endedBy: 'run ended' });
  });

  it('when nothing was ever seen to go wrong, then there is no window', () => {
    expect(impactWindow([event(0, 'run.state', 'scenario', { state: 'live' })])).toBeNull();
  });
});

describe('draftPir', () => {
  const markdown = draftPir(run, journal, figures);
  const lines = markdown.split('\n');

  it('when drafted, then every section the checker requires is present and filled (only placeholders are reported, with action items)', () => {
    const rules = new Set(checkPir(markdown).map((f) => f.rule));
    expect([...rules].sort()).toEqual(['action-due', 'action-owner', 'action-type', 'placeholder']);
  });

  it('when drafted, then the impact has the duration and the figures', () => {
    expect(markdown).toContain('- **Duration:** 7 min (10:02:00 to 10:09:00 UTC; ended when probes held)');
    expect(markdown).toContain('- **Orders failed:** 37');
    expect(markdown).toContain('- **Payments failed:** 0');
    expect(markdown).toContain('- **Error budget burned:** 12.5%');
    expect(markdown).toContain('- **Severity:** P2 at 10:05:00');
  });

  it('when a figure is null, then the draft says unknown and why', () => {
    const draft = draftPir(run, journal, unknownFigures('Prometheus did not answer'));
    expect(draft).toContain('- **Orders failed:** unknown');
    expect(draft).toContain('- **Error budget burned:** unknown (Prometheus could not be read when this was drafted)');
    expect(draft).toContain('Prometheus did not answer');
  });

  it('when drafted, then responders and their roles come from incident.role events, with their source', () => {
    expect(markdown).toContain('| incident commander | ada | 10:05:00 | incident.role #');
    expect(markdown).toContain('| operations | grace | 10:05:00 | incident.role #');
  });

  it('when drafted, then detection gives the first alert, the page and the acknowledgement with the delay', () => {
    expect(markdown).toContain('- **First alert:** ApiHighLatencyP95 fired at 10:03:00 UTC');
    expect(markdown).toContain('- **Acknowledged:** 10:04:00 UTC by ada (1 min after the page)');
  });

  it('when drafted, then every timeline row has a UTC time and a source (event kind, id and actor)', () => {
    const start = lines.indexOf('## Timeline (UTC)');
    const rows = lines.slice(start + 4).filter((l) => l.startsWith('|'));
    const body = rows.slice(
      0,
      rows.findIndex((l) => !/^\| \d\d:\d\d:\d\d \|/.test(l)) === -1 ? rows.length : rows.findIndex((l) => !/^\| \d\d:\d\d:\d\d \|/.test(l)),
    );
    expect(body.length).toBeGreaterThan(8);
    for (const row of body) expect(row).toMatch(/^\| \d\d:\d\d:\d\d \| .+ \| [a-z.]+ #\d+ · \S+ \|$/);
    expect(markdown).toContain('| 10:08:00 | grace ran `rollback payments`: payments back on 2.3.0 | lever.applied #');
  });

  it('when the journal holds instructor-only events, then the draft does not reveal them', () => {
    expect(markdown).not.toContain('fault.injected');
    expect(markdown).not.toContain('latency');
    expect(markdown).not.toContain('cause.ended');
  });

  it('when drafted, then trigger, root cause, lessons, action items and messages are left for the team', () => {
    expect(markdown).toMatch(/\*\*Trigger:\*\* TODO\(team\)/);
    expect(markdown).toMatch(/\*\*Root cause:\*\* TODO\(team\)/);
    expect(markdown).toContain('Named when resolving: bad-release — "payments 2.4.0 slow".');
    expect(markdown).toContain('| TODO(team): what will change | mitigate, prevent or process | TODO(team) | YYYY-MM-DD | TODO(team) |');
  });

  it('when the run is blind, then the scenario title is not shown (the declared incident title is)', () => {
    const blind = draftPir({ ...run, blind: true, title: 'Checkout is slow (Lab 1)' }, journal, figures);
    expect(blind).not.toContain('Lab 1');
    expect(blind.split('\n')[0]).toBe('# Post-incident review: Checkout slow');
  });

  it('when every placeholder is replaced by blameless text, then the checker finds nothing', () => {
    const filled = markdown
      .replace(
        /TODO\(team\): what will change \| mitigate, prevent or process \| TODO\(team\) \| YYYY-MM-DD \| TODO\(team\)/,
        'Async fraud check | prevent | payments team | 2025-04-01 | PAY-1',
      )
      .replace(/TODO\(team\)[^\n]*/g, 'The payments release added a synchronous call; we rolled it back.');
    expect(checkPir(filled, { names: ['ada', 'grace'] })).toEqual([]);
  });

  it('when drafted twice from the same input, then the Markdown is the same (no clock, no randomness)', () => {
    expect(draftPir(run, journal, figures)).toBe(markdown);
  });
});

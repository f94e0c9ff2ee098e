import { describe, expect, it } from 'vitest';
import { updateTemplates } from '../incidents/update-templates.ts';
import { causeCategoryFrom, causeCategoryOf } from './cause-category.ts';
import { diagnose } from './diagnose.ts';
import { assessIncident } from './severity-rubric.ts';
import { composeUpdate, fillTemplate, marginMs, promisedMinutes, updateDue } from './status-updates.ts';
import type { ShopMetrics } from './observations.ts';
import { observe, page, t0 } from './test-observations.ts';

const assess = (metrics: Partial<ShopMetrics>, alerts = [page('SomeAlert')]) => {
  const obs = observe({ alerts, metrics });
  return assessIncident(obs, diagnose(obs));
};

describe('the severity rubric (docs/playbook/escalation.md)', () => {
  it('when the api cannot reach its database, then P0: checkout fails for everyone', () => {
    expect(assess({ apiDependencyUp: { postgres: false, redis: true, payments: true } })).toMatchObject({ severity: 'P0' });
  });

  it('when nearly every request fails, then P0', () => {
    expect(assess({ errorRatio: { api: 0.95, payments: 0 } })).toMatchObject({ severity: 'P0', impact: '95% of requests to the shop fail' });
  });

  it('when most charges fail, then P1, naming the share', () => {
    expect(assess({ paymentFailureRatio: 0.7 })).toMatchObject({ severity: 'P1', title: 'Most card payments failing', impact: expect.stringContaining('70%') });
  });

  it('when the api restarts again and again, then P1', () => {
    expect(assess({ apiStarts10m: 3 })).toMatchObject({ severity: 'P1' });
  });

  it('when checkout is slow but works, then P2, naming the p95', () => {
    expect(assess({ p95Seconds: { api: 0.62, payments: 0.55 } })).toMatchObject({
      severity: 'P2',
      title: 'Checkout slow',
      impact: expect.stringContaining('620 ms'),
    });
  });

  it('when some charges fail, then P2', () => {
    expect(assess({ paymentFailureRatio: 0.2 })).toMatchObject({ severity: 'P2', title: 'Some card payments failing' });
  });

  it('when the worker is gone and orders wait, then P2: paid orders delayed', () => {
    expect(assess({ workerHeartbeatAgeSeconds: undefined, queueBacklog: 40 })).toMatchObject({ severity: 'P2', title: 'Paid orders delayed' });
  });

  it('when a page comes with no customer symptom seen, then P3 naming the alert', () => {
    expect(assess({}, [page('WorkerHeartbeatAbsent')])).toMatchObject({ severity: 'P3', title: 'Paged: WorkerHeartbeatAbsent' });
  });

  it('when two rules match, then the worse wins (when unsure, the higher one)', () => {
    expect(assess({ paymentFailureRatio: 0.7, p95Seconds: { api: 0.9, payments: 0.9 } }).severity).toBe('P1');
  });
});

describe('the update cadence', () => {
  it('when nothing was posted yet, then an update is due at once', () => {
    expect(updateDue(undefined, t0)).toBe(true);
  });

  it('when the last update promised the next in 5 minutes, then the next is due a margin before that, not earlier', () => {
    const last = { at: t0, nextUpdateMinutes: promisedMinutes };
    expect(updateDue(last, t0 + promisedMinutes * 60_000 - marginMs - 1)).toBe(false);
    expect(updateDue(last, t0 + promisedMinutes * 60_000 - marginMs)).toBe(true);
  });

  it('when the last update was the resolution (no promise), then none is due', () => {
    expect(updateDue({ at: t0, nextUpdateMinutes: null }, t0 + 3_600_000)).toBe(false);
  });
});

describe('the status updates', () => {
  const facts = { commander: 'bot', title: 'Checkout slow', impact: 'checkout works but is slow: p95 620 ms' };

  it('when the acknowledgement is composed, then it is the template with every placeholder filled, the impact and the promise', () => {
    const update = composeUpdate('ack', facts);
    expect(update).toMatchObject({ kind: 'ack', impact: facts.impact, nextUpdateMinutes: promisedMinutes });
    expect(update.text).toBe(
      [
        'We are investigating checkout slow.',
        'Impact: checkout works but is slow: p95 620 ms.',
        'Current status: investigating; incident commander bot.',
        `Next update: in ${promisedMinutes} minutes.`,
      ].join('\n'),
    );
  });

  it('when the resolution is composed, then it promises no further update and names the review date', () => {
    const update = composeUpdate('resolution', { ...facts, progress: 'checkout is back to normal', reviewBy: '2026-05-11' });
    expect(update.nextUpdateMinutes).toBeUndefined();
    expect(update.text).toContain('Resolved: checkout is back to normal.');
    expect(update.text).toContain('the review will be shared by 2026-05-11');
    expect(update.text).not.toMatch(/[<>]/);
  });

  it('when every template is filled with enough values, then no placeholder is left', () => {
    for (const template of Object.values(updateTemplates)) expect(fillTemplate(template.text, ['a', 'b', 'c', 'd'])).not.toMatch(/[<>]/);
  });
});

describe('the cause category from what fixed it', () => {
  it.each([
    ['rollback payments', 'bad-release'],
    ['failover payments', 'dependency-outage'],
    ['flag api.degraded-mode true', 'dependency-outage'],
    ['flag api.payment-retries 3', 'config-change'],
    ['flag api.payments-circuit-breaker true', 'config-change'],
    ['scale worker 2', 'capacity'],
    ['redis-maxmemory 256', 'capacity'],
    ['redis-delete batch:*', 'capacity'],
    ['dead-letter legacy-f-1', 'bad-data'],
    ['restart worker', 'software-defect'],
    ['end-db-sessions', 'software-defect'],
  ])('when %s fixed it, then %s', (lever, category) => {
    expect(causeCategoryOf(lever)).toBe(category);
  });

  it('when the last lever only undid an easing, then the one before it decides', () => {
    expect(causeCategoryFrom([{ lever: 'flag api.degraded-mode true' }, { lever: 'flag api.degraded-mode false', restores: true }])).toBe('dependency-outage');
  });

  it('when an easing came first and a rollback ended it, then bad-release', () => {
    expect(causeCategoryFrom([{ lever: 'restart api' }, { lever: 'rollback api' }])).toBe('bad-release');
  });

  it('when no lever was pulled, then no category is named', () => {
    expect(causeCategoryFrom([])).toBeUndefined();
  });
});

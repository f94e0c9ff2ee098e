import { describe, expect, it } from 'vitest';
import { clock, describeEvent, eventLine, fit } from './event-line.ts';
import type { RunEvent } from '@firedrill/training';

const run = { createdAt: '2026-05-04T09:00:00.000Z' };
const event = (kind: string, data: Record<string, unknown>, actor = 'training', seconds = 75): RunEvent => ({
  id: 1,
  at: new Date(Date.parse(run.createdAt) + seconds * 1000).toISOString(),
  runId: 'run-1',
  team: null,
  actor,
  kind,
  data,
  visibility: 'everyone',
});

describe('a run event as one line', () => {
  it('when durations are shown, then they read mm:ss, h:mm:ss past an hour, and never negative', () => {
    expect([0, 999, 75_000, 3_599_000, 3_725_000, -5_000].map(clock)).toEqual(['00:00', '00:00', '01:15', '59:59', '1:02:05', '00:00']);
  });

  it('when text is too wide, then it is cut with an ellipsis, counting characters rather than UTF-16 units', () => {
    expect(fit('checkout', 8)).toBe('checkout');
    expect(fit('checkout p95', 8)).toBe('checkou…');
    expect(fit('✓✓✓✓', 3)).toBe('✓✓…');
  });

  it('when each kind the runs API records is described, then it reads as a person would say it', () => {
    const described = [
      event('run.state', { state: 'refused', reason: 'probes failing: api answers under 5% server errors' }),
      event('run.state', { state: 'live' }),
      event('deploy', { service: 'payments', previousVersion: '2.3.0', version: '2.4.0', notes: 'fraud scoring' }),
      event('rollback', { service: 'payments', version: '2.3.0' }),
      event('flag.changed', { name: 'payments.fraud-check', value: false }),
      event('lever.applied', { lever: 'rollback payments', matched: 'ends' }),
      event('lever.applied', { lever: 'restart api' }),
      event('alert.fired', { alertname: 'ApiHighLatencyP95', severity: 'page' }),
      event('alert.resolved', { alertname: 'ApiHighLatencyP95' }),
      event('probe.failing', { name: 'checkout p95 below 300 ms' }),
      event('fault.injected', { family: 'latency', target: 'payments', ms: 500 }),
      event('page', { alertname: 'CheckoutErrorBudgetBurn' }),
      event('hint.taken', { index: 2, cost: 10 }),
      event('lever.applied', { summary: 'payments rolled back from 2.4.0 to 2.3.0', lever: 'rollback payments' }),
      event('something.new', { a: 1, nested: { b: 2 }, c: 'x' }),
      event('something.empty', {}),
    ].map(describeEvent);

    expect(described).toEqual([
      'refused: probes failing: api answers under 5% server errors',
      'live',
      'payments 2.3.0 -> 2.4.0 (fraud scoring)',
      'payments 2.3.0',
      'payments.fraud-check = false',
      'rollback payments (ends)',
      'restart api',
      'ApiHighLatencyP95',
      'ApiHighLatencyP95',
      'checkout p95 below 300 ms',
      'latency at payments',
      'CheckoutErrorBudgetBurn',
      'index=2 cost=10',
      'payments rolled back from 2.4.0 to 2.3.0',
      'a=1 c=x',
      '',
    ]);
  });

  it('when a line is written, then it carries the time since the run was created, the kind and the actor in columns', () => {
    expect(eventLine(event('lever.applied', { lever: 'rollback payments' }, 'ada', 245), run, { colour: false })).toBe(
      '04:05  lever.applied   ada         rollback payments',
    );
    expect(eventLine(event('run.state', { state: 'warming' }, 'training', 0), run, { colour: false })).toBe('00:00  run.state       training    warming');
  });

  it('when compact, then the columns and the actor go, and the width still holds', () => {
    const line = eventLine(event('alert.fired', { alertname: 'ApiHighLatencyP95' }, 'alertmanager', 170), run, { colour: false, compact: true, width: 24 });

    expect(line).toBe('02:50 alert.fired ApiHi…');
  });

  it('when colour is on, then the line is coloured by what it means: worse red, better green, levers cyan, a resolved run green', () => {
    const colourOf = (e: RunEvent) => eventLine(e, run, { colour: true }).slice(0, 5);

    expect(colourOf(event('alert.fired', { alertname: 'A' }))).toBe('\x1b[31m');
    expect(colourOf(event('probe.passing', { name: 'p' }))).toBe('\x1b[32m');
    expect(colourOf(event('lever.applied', { lever: 'restart api' }))).toBe('\x1b[36m');
    expect(colourOf(event('run.state', { state: 'resolved' }))).toBe('\x1b[32m');
    expect(colourOf(event('run.state', { state: 'timed_out' }))).toBe('\x1b[31m');
    expect(eventLine(event('something.new', { a: 1 }), run, { colour: true })).toBe('01:15  something.new   training    a=1');
  });
});

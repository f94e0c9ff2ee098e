import { describe, expect, it } from 'vitest';
import { renderScreen, type ScreenModel } from './run-screen.ts';
import type { Run, RunEvent, RunStatus } from '@firedrill/training';

const createdAt = '2026-05-04T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(createdAt) + seconds * 1000).toISOString();

const run: Run = {
  id: 'run-7',
  scenario: 'lab1-high-latency',
  title: 'Checkout is slow',
  state: 'live',
  reason: null,
  seed: 42,
  speed: 1,
  blind: false,
  team: null,
  createdAt,
  liveAt: at(35),
  endedAt: null,
  briefing: '# Checkout is slow',
};

const status: RunStatus = {
  id: 'run-7',
  state: 'live',
  phase: 'live',
  elapsedMs: 252_000,
  liveForMs: 217_000,
  timeboxMs: 1_200_000,
  signals: { checkoutRate: 9.84, errorRatio: 0.004, p95Ms: 812.4 },
  firingAlerts: ['ApiHighLatencyP95'],
  levers: [{ at: at(241), actor: 'ada', lever: 'flag payments.fraud-check false' }],
  probes: [
    { name: 'checkout p95 below 300 ms', passing: false },
    { name: 'api answers under 5% server errors', passing: true },
  ],
  holdingForMs: 0,
  pausedAt: null,
};

const event = (id: number, seconds: number, kind: string, actor: string, data: Record<string, unknown>): RunEvent => ({
  id,
  team: null,
  at: at(seconds),
  runId: 'run-7',
  actor,
  kind,
  data,
  visibility: 'everyone',
});

const events = [
  event(1, 0, 'run.state', 'training', { state: 'warming' }),
  event(2, 35, 'run.state', 'training', { state: 'live' }),
  event(3, 80, 'deploy', 'scenario', { service: 'payments', previousVersion: '2.3.0', version: '2.4.0' }),
  event(4, 170, 'alert.fired', 'alertmanager', { alertname: 'ApiHighLatencyP95' }),
  event(5, 241, 'lever.applied', 'ada', { lever: 'flag payments.fraud-check false', matched: 'eases' }),
];

const model: ScreenModel = { run, status, events };

describe('the live screen of a run', () => {
  it('when a run is live on a wide terminal, then one compact screen shows time, state, signals, alerts, probes, levers and the last events', () => {
    expect(renderScreen(model, { width: 100, colour: false }).split('\n')).toEqual([
      'Checkout is slow · lab1-high-latency',
      'run     run-7  seed 42  speed 1x',
      'state   live  04:12  live 03:37 of 20:00',
      'shop    checkouts 9.8/s  errors 0.4%  p95 812 ms',
      'alerts  ApiHighLatencyP95',
      'probes  ✗ checkout p95 below 300 ms',
      '        ✓ api answers under 5% server errors',
      'levers  04:01  ada  flag payments.fraud-check false',
      'events  00:00  run.state       training    warming',
      '        00:35  run.state       training    live',
      '        01:20  deploy          scenario    payments 2.3.0 -> 2.4.0',
      '        02:50  alert.fired     alertmanager  ApiHighLatencyP95',
      '        04:01  lever.applied   ada         flag payments.fraud-check false (eases)',
      'Ctrl-C detaches (the run goes on); `lab scenario stop` ends it',
    ]);
  });

  it('when the terminal is 40 columns wide, then no line is wider: signals stack, events drop their columns, long text is cut with an ellipsis', () => {
    const lines = renderScreen(model, { width: 40, colour: false }).split('\n');

    expect(lines).toEqual([
      'Checkout is slow · lab1-high-latency',
      'run     run-7  seed 42  speed 1x',
      'state   live  04:12  live 03:37 of 20:00',
      'shop    checkouts 9.8/s',
      '        errors 0.4%',
      '        p95 812 ms',
      'alerts  ApiHighLatencyP95',
      'probes  ✗ checkout p95 below 300 ms',
      '        ✓ api answers under 5% server e…',
      'levers  04:01  ada  flag payments.fraud…',
      'events  00:00 run.state warming',
      '        00:35 run.state live',
      '        01:20 deploy payments 2.3.0 -> …',
      '        02:50 alert.fired ApiHighLatenc…',
      '        04:01 lever.applied flag paymen…',
      'Ctrl-C detaches; the run goes on',
    ]);
    for (const line of lines) expect(Array.from(line).length, line).toBeLessThanOrEqual(40);
  });

  it('when the terminal is narrower than 20 columns, then the screen is drawn 20 wide rather than not at all', () => {
    const lines = renderScreen(model, { width: 8, colour: false }).split('\n');

    expect(lines[0]).toBe('Checkout is slow · …');
    for (const line of lines) expect(Array.from(line).length, line).toBeLessThanOrEqual(20);
  });

  it('when colour is on, then failing probes and firing alerts are red, passing probes green, levers cyan; when off, there is no escape code at all', () => {
    const coloured = renderScreen(model, { width: 100, colour: true }).split('\n');
    const plain = renderScreen(model, { width: 100, colour: false });

    expect(coloured[0]).toBe('\x1b[1mCheckout is slow · lab1-high-latency\x1b[22m');
    expect(coloured[4]).toBe('\x1b[31malerts  ApiHighLatencyP95\x1b[39m');
    expect(coloured[5]).toBe('\x1b[31mprobes  ✗ checkout p95 below 300 ms\x1b[39m');
    expect(coloured[6]).toBe('\x1b[32m        ✓ api answers under 5% server errors\x1b[39m');
    expect(coloured[7]).toBe('\x1b[36mlevers  04:01  ada  flag payments.fraud-check false\x1b[39m');
    expect(coloured[11]).toBe('        \x1b[31m02:50  alert.fired     alertmanager  ApiHighLatencyP95\x1b[39m');
    expect(plain).not.toContain('\x1b');
  });

  it('when the instructor paused the run, then the state row says PAUSED and since when, in words and in yellow', () => {
    const paused: RunStatus = { ...status, pausedAt: at(230) };

    expect(renderScreen({ ...model, status: paused }, { width: 100, colour: false }).split('\n')[2]).toBe(
      'state   live  04:12  live 03:37 of 20:00  PAUSED since 03:50',
    );
    expect(renderScreen({ ...model, status: paused }, { width: 100, colour: true }).split('\n')[2]).toBe(
      '\x1b[33mstate   live  04:12  live 03:37 of 20:00  PAUSED since 03:50\x1b[39m',
    );
    expect(renderScreen(model, { width: 100, colour: false })).not.toContain('PAUSED');
  });

  it('when every probe passes, then the screen says for how long they have held', () => {
    const holding: RunStatus = {
      ...status,
      firingAlerts: [],
      probes: status.probes.map((p) => ({ ...p, passing: true })),
      holdingForMs: 42_000,
      pausedAt: null,
    };

    const lines = renderScreen({ ...model, status: holding }, { width: 100, colour: false }).split('\n');

    expect(lines.slice(4, 8)).toEqual([
      'alerts  none firing',
      'probes  ✓ checkout p95 below 300 ms',
      '        ✓ api answers under 5% server errors',
      '        holding for 00:42',
    ]);
  });

  it('when a blind run is warming and no status has come yet, then it names no scenario and says it waits', () => {
    const blind: Run = { ...run, scenario: null, title: null, state: 'warming', liveAt: null, briefing: null };

    expect(renderScreen({ run: blind, status: undefined, events: [] }, { width: 80, colour: false }).split('\n')).toEqual([
      'blind run (scenario hidden)',
      'run     run-7  seed 42  speed 1x',
      'state   warming  waiting for the first status',
      'events  none yet',
      'Ctrl-C detaches (the run goes on); `lab scenario stop` ends it',
    ]);
  });

  it('when warming with no Prometheus data yet, then the signals read "-", the timebox is shown whole, and the phase beside the state', () => {
    const warming: RunStatus = {
      ...status,
      state: 'warming',
      phase: 'steady-state gate',
      elapsedMs: 12_000,
      liveForMs: null,
      signals: { checkoutRate: null, errorRatio: null, p95Ms: null },
      firingAlerts: [],
      levers: [],
    };

    const lines = renderScreen({ run: { ...run, state: 'warming' }, status: warming, events: [] }, { width: 100, colour: false }).split('\n');

    expect(lines.slice(2, 5)).toEqual([
      'state   warming (steady-state gate)  00:12  timebox 20:00',
      'shop    checkouts -  errors -  p95 -',
      'alerts  none firing',
    ]);
    expect(lines).toContain('levers  none pulled yet');
  });

  it('when the bot works the run and the training process stops answering, then both are on the screen; only the last few events are kept', () => {
    const many = Array.from({ length: 9 }, (_, i) => event(10 + i, 300 + i, 'probe.failing', 'training', { name: `probe ${i}` }));

    const lines = renderScreen(
      { ...model, events: many, bot: 'paged: ApiHighLatencyP95; reading the runbook', notice: 'the training process does not answer; retrying' },
      { width: 100, colour: false, eventRows: 3 },
    ).split('\n');

    expect(lines).toContain('bot     paged: ApiHighLatencyP95; reading the runbook');
    expect(lines.filter((line) => line.includes('probe.failing'))).toEqual([
      'events  05:06  probe.failing   training    probe 6',
      '        05:07  probe.failing   training    probe 7',
      '        05:08  probe.failing   training    probe 8',
    ]);
    expect(lines.at(-2)).toBe('the training process does not answer; retrying');
  });
});

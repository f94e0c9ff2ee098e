import { portsFor } from '@firedrill/lab-infra';
import xterm from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLab, startFakeLab } from '../../test/fake-runs-api.ts';
import { trainingClient } from '../cli/training-client.ts';
import { plainView, screenView, type Terminal } from './run-views.ts';
import { watchRun } from './run-watcher.ts';
import { runsApi, type RunsApi } from '@firedrill/training';

/** A terminal 72 columns wide that keeps what was written to it, as it was written. */
function fakeTerminal(): Terminal & { text: () => string } {
  let written = '';
  const terminal = {
    isTTY: true,
    columns: 72,
    rows: 40,
    write(chunk: string) {
      written += chunk;
      return true;
    },
    on() {
      return terminal;
    },
    off() {
      return terminal;
    },
    text: () => written,
  };
  return terminal as unknown as Terminal & { text: () => string };
}

function collector() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe('watching a run', () => {
  let lab: FakeLab;
  let api: RunsApi;

  beforeAll(async () => {
    lab = await startFakeLab();
    const ports = portsFor(lab.portBase);
    api = runsApi(
      trainingClient({ ports, state: { pid: process.pid, controlPort: ports.supervisor, portBase: lab.portBase, startedAt: '', processes: {} } }, lab),
    );
  });
  afterAll(async () => {
    await lab.close();
  });

  it('when a run is watched on a terminal, then the screen is redrawn in place and the frame left at the end shows how it ended', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    const terminal = fakeTerminal();
    const err = collector();
    const watching = watchRun({ api, runId: run.id, view: screenView(terminal, err, false), signal: new AbortController().signal, statusEveryMs: 20 });

    lab.api.setState(run.id, 'live', null, 35);
    lab.api.setStatus(run.id, {
      phase: 'live',
      signals: { checkoutRate: 10, errorRatio: 0.01, p95Ms: 790 },
      firingAlerts: ['ApiHighLatencyP95'],
      probes: [{ name: 'checkout p95 below 300 ms', passing: false }],
    });
    const polled = lab.api.requests.length;
    await waitUntil(() => lab.api.requests.slice(polled).filter((r) => r.path === `/api/runs/${run.id}/status`).length >= 2);
    lab.api.emit(run.id, 'alert.fired', { alertname: 'ApiHighLatencyP95' }, 'alertmanager', 170);
    lab.api.emit(run.id, 'lever.applied', { lever: 'rollback payments' }, 'ada', 245);
    lab.api.setState(run.id, 'resolved', 'the probes held 1m', 335);
    const ended = await watching;

    expect(ended).toMatchObject({ id: run.id, state: 'resolved' });
    // What a person sees at the end: the output played on a real terminal emulator of that size.
    const screen = await onTerminal(terminal.text(), 72, 40);
    expect(screen.slice(-14)).toEqual([
      'Checkout is slow · lab1-high-latency',
      `run     ${run.id}  seed 1  speed 1x`,
      'state   resolved  05:35  live 05:00 of 20:00',
      'shop    checkouts 10.0/s  errors 1.0%  p95 790 ms',
      'alerts  ApiHighLatencyP95',
      'probes  ✗ checkout p95 below 300 ms',
      'levers  none pulled yet',
      'events  00:00  run.state       training    warming',
      '        00:35  run.state       training    live',
      '        02:50  alert.fired     alertmanager  ApiHighLatencyP95',
      '        04:05  lever.applied   ada         rollback payments',
      '        05:35  run.state       training    resolved: the probes held 1m',
      'Ctrl-C detaches (the run goes on); `lab scenario stop` ends it',
      `run ${run.id} resolved after 05:00 live: the probes held 1m`,
    ]);
    // Above the screen, once: the briefing. Redraws replaced frames instead of adding lines.
    expect(screen.slice(0, 5)).toEqual([
      `Checkout is slow (lab1-high-latency): run ${run.id}, seed 1, speed 1x`,
      '',
      '# Checkout is slow',
      '',
      'Watch the golden signals.',
    ]);
    expect(screen.filter((line) => line.startsWith('state ')).length).toBe(1);
  });

  it('when the training process answers 503 for a while, then the watch says it is retrying, carries on, and clears the notice', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    lab.api.failStatusTimes = 2;
    const out = collector();
    const err = collector();
    const watching = watchRun({ api, runId: run.id, view: plainView(out, err, false), signal: new AbortController().signal, statusEveryMs: 20 });

    // The status loop got past its 503s: the run can end.
    await waitUntil(() => lab.api.failStatusTimes === 0 && lab.api.requests.filter((r) => r.path === `/api/runs/${run.id}/status`).length >= 3);
    lab.api.setState(run.id, 'stopped', 'stopped by ada');
    const ended = await watching;

    expect(ended).toMatchObject({ state: 'stopped' });
    expect(err.text()).toBe('lab: the training process is starting; retrying\n');
    expect(out.text().trimEnd().split('\n').at(-1)).toBe(`run ${run.id} stopped after 00:01: stopped by ada`);
  });

  it('when the run goes live, then onLive is called once, however many times live is seen', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    let calls = 0;
    const watching = watchRun({
      api,
      runId: run.id,
      view: plainView(collector(), collector(), false),
      signal: new AbortController().signal,
      statusEveryMs: 20,
      onLive: () => calls++,
    });

    lab.api.setState(run.id, 'live');
    await waitUntil(() => calls > 0 && lab.api.requests.filter((r) => r.path === `/api/runs/${run.id}/status`).length >= 3);
    lab.api.setState(run.id, 'timed_out', 'the timebox ran out');
    await watching;

    expect(calls).toBe(1);
  });

  it('when the watch is aborted (Ctrl-C), then it answers detached, says so, and asks nothing to stop', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    lab.api.setState(run.id, 'live');
    const detach = new AbortController();
    const err = collector();
    const watching = watchRun({ api, runId: run.id, view: plainView(collector(), err, false), signal: detach.signal, statusEveryMs: 20 });
    await waitUntil(() => lab.api.requests.some((r) => r.path.startsWith(`/api/runs/${run.id}/events`)));

    detach.abort();

    expect(await watching).toBe('detached');
    expect(err.text()).toContain(`lab: detached; run ${run.id} goes on (the lab owns it)`);
    expect(lab.api.runById(run.id).state).toBe('live');
    expect(lab.api.requests.some((r) => r.path.endsWith('/stop'))).toBe(false);
    lab.api.setState(run.id, 'stopped');
  });
});

/** The lines a terminal of this size shows after `output` was written to it (a tty turns \n into \r\n). */
async function onTerminal(output: string, cols: number, rows: number): Promise<string[]> {
  const emulator = new xterm.Terminal({ cols, rows, convertEol: true, allowProposedApi: true });
  await new Promise<void>((resolve) => emulator.write(output, resolve));
  const buffer = emulator.buffer.active;
  const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '');
  emulator.dispose();
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Polls a condition the fake can answer at once; fails the test after 5 s. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * `lab scenario …` as a user runs it: the real CLI as a child process (stdout a pipe, so plain
 * lines), against a fake of the training process's runs API that the test plays the run on.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import type { RunEvent } from '@firedrill/training';
import { type FakeLab, startFakeLab } from './fake-runs-api.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');
const stackFrame = /^\s+at /m;

describe('lab scenario, against the runs API', () => {
  let lab: FakeLab;

  const run = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, 'scenario', ...args], { env: lab.env, cwd: repoRoot, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });

  /** A CLI left running while the test plays the run. */
  const spawned: ChildProcess[] = [];
  const start = (...args: string[]) => {
    const child = spawn(process.execPath, [cli, 'scenario', ...args], { env: lab.env, cwd: repoRoot });
    spawned.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, exited, output: () => ({ stdout, stderr }) };
  };

  /** Plays Lab 1 to its end: live, a page, a lever, the probes back, resolved. */
  const playToResolved = (runId: string) => {
    lab.api.setState(runId, 'live', null, 35);
    lab.api.emit(runId, 'deploy', { service: 'payments', previousVersion: '2.3.0', version: '2.4.0' }, 'scenario', 80);
    lab.api.emit(runId, 'alert.fired', { alertname: 'ApiHighLatencyP95' }, 'alertmanager', 170);
    lab.api.emit(runId, 'lever.applied', { lever: 'rollback payments' }, 'ada', 245);
    lab.api.emit(runId, 'probe.passing', { name: 'checkout p95 below 300 ms' }, 'training', 270);
    lab.api.setState(runId, 'resolved', 'every cause ended and the probes held 1m', 335);
  };

  beforeAll(async () => {
    lab = await startFakeLab();
  });
  afterEach(() => {
    for (const child of spawned.splice(0)) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await lab.close();
  });

  it('when scenarios are listed, then a table shows each id, title, curriculum, difficulty and timebox', async () => {
    const listed = await run('list');

    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trimEnd().split('\n')).toEqual([
      'ID                 TITLE                     CURRICULUM    DIFFICULTY  TIMEBOX',
      'lab1-high-latency  Checkout is slow          Day 4, Lab 1  1/5         20m',
      'lab4-worker-exit   Orders are not fulfilled  Day 4, Lab 4  2/5         1h30m',
    ]);
  });

  it('when an operator shows a scenario, then it prints briefing, difficulty, timebox and par, and says the answer key is withheld', async () => {
    const shown = await run('show', 'lab1-high-latency');

    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Checkout is slow (lab1-high-latency)\nDay 4, Lab 1 · difficulty 1/5 · timebox 20m\n');
    // Par comes from scenarios/lab1-high-latency/scenario.yaml: the operator's view has none.
    expect(shown.stdout).toContain('par: detect 3m, acknowledge 5m, mitigate 12m, resolve 18m');
    expect(shown.stdout).toContain('Watch the golden signals.');
    expect(shown.stdout).toContain('The answer key and hints are not shown');
    expect(shown.stdout).not.toContain('root cause');
    expect(lab.api.requests.at(-1)).toMatchObject({ path: '/api/scenarios/lab1-high-latency', role: 'operator' });
  });

  it('when the instructor token is readable, then show asks as the instructor and prints the answer key and hints, saying why', async () => {
    lab.addInstructorToken();

    const shown = await run('show', 'lab1-high-latency');

    expect(shown.code, shown.stderr).toBe(0);
    expect(lab.api.requests.at(-1)).toMatchObject({ path: '/api/scenarios/lab1-high-latency', role: 'instructor' });
    expect(shown.stdout).toContain(`Instructor view (the instructor token is readable at ${path.join(lab.stateDir, 'secrets', 'instructor-token')})`);
    expect(shown.stdout).toContain('answer: P2, bad-release\n  root cause: payments 2.4.0 scores every charge synchronously');
    expect(shown.stdout).toContain('hint 1 after 3m (cost 5): Which service got slower first?');
    expect(shown.stdout).toContain('hint 2 (cost 25): `lab rollback payments` ends it.');
  });

  it('when a scenario does not exist, then show says so in one line and exits 1', async () => {
    const shown = await run('show', 'lab9-nothing');

    expect(shown.code).toBe(1);
    expect(shown.stderr).toBe('lab: no scenario "lab9-nothing"\n');
  });

  it('when a run is started with a seed and a speed, then the lab gets them, and the watch prints one line per event and exits 0 once resolved', async () => {
    const cli = start('run', 'lab1-high-latency', '--seed', '7', '--speed', '2');
    const created = await waitFor('the run to be created', async () => lab.api.requests.find((r) => r.method === 'POST' && r.path === '/api/runs'), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect(created.body).toEqual({ scenario: 'lab1-high-latency', seed: 7, speed: 2 });
    const runId = lab.api.runById('run-1').id;

    playToResolved(runId);
    const { code } = await cli.exited;

    const { stdout, stderr } = cli.output();
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `Checkout is slow (lab1-high-latency): run ${runId}, seed 7, speed 2x`,
      '',
      '# Checkout is slow',
      '',
      'Watch the golden signals.',
      '',
      '00:00  run.state       training    warming',
      '00:35  run.state       training    live',
      '01:20  deploy          scenario    payments 2.3.0 -> 2.4.0',
      '02:50  alert.fired     alertmanager  ApiHighLatencyP95',
      '04:05  lever.applied   ada         rollback payments',
      '04:30  probe.passing   training    checkout p95 below 300 ms',
      '05:35  run.state       training    resolved: every cause ended and the probes held 1m',
      `run ${runId} resolved after 05:00 live: every cause ended and the probes held 1m`,
      '',
    ]);
    // Watching never stops a run.
    expect(lab.api.requests.filter((r) => r.path.endsWith('/stop'))).toEqual([]);
  });

  it('when a run is going and another is asked for, then the CLI refuses in one line naming the run and how to watch or stop it', async () => {
    const going = lab.api.createRun('lab4-worker-exit');

    const refused = await run('run', 'lab1-high-latency');

    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toMatch(stackFrame);
    expect(refused.stderr).toBe(`lab: run ${going.id} is in progress: watch it with \`lab scenario watch ${going.id}\` or end it with \`lab scenario stop\`\n`);
    lab.api.setState(going.id, 'stopped');
  });

  it('when the watch is interrupted with Ctrl-C, then it detaches with 130, says how to re-attach and stop, and the run goes on; `watch` re-attaches and replays it', async () => {
    const cli = start('run', 'lab1-high-latency', '--json');
    await waitFor('the CLI to report the run started', async () => cli.output().stderr.includes('started'), { timeoutMs: 15_000, intervalMs: 50 });
    const runId = lab.api.runById(/run (\S+) started/.exec(cli.output().stderr)![1]!).id;
    lab.api.setState(runId, 'live', null, 40);
    // Interrupt while the watch is waiting on the long poll, after it has shown the live event.
    await waitFor('the live event on stdout', async () => cli.output().stdout.includes('"live"'), { timeoutMs: 10_000, intervalMs: 50 });

    cli.child.kill('SIGINT');
    const { code } = await cli.exited;

    expect(code).toBe(130);
    expect(cli.output().stderr).toContain(`lab: detached; run ${runId} goes on (the lab owns it)`);
    expect(cli.output().stderr).toContain(`lab scenario watch ${runId}`);
    expect(cli.output().stderr).toContain('lab scenario stop');
    expect(lab.api.runById(runId).state).toBe('live');
    expect(lab.api.requests.filter((r) => r.path.endsWith('/stop'))).toEqual([]);

    const polledBefore = lab.api.requests.length;
    const again = start('watch', '--json');
    await waitFor(
      'the new watch to poll events',
      async () => lab.api.requests.slice(polledBefore).some((r) => r.path.startsWith(`/api/runs/${runId}/events`)),
      {
        timeoutMs: 15_000,
        intervalMs: 50,
      },
    );
    lab.api.setState(runId, 'timed_out', 'the timebox (20m) ran out', 1235);
    const watched = await again.exited;

    expect(watched.code).toBe(1);
    const lines = again
      .output()
      .stdout.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent & { run?: { id: string; state: string } });
    expect(lines.slice(0, -1).map((e) => [e.kind, e.data?.state])).toEqual([
      ['run.state', 'warming'],
      ['run.state', 'live'],
      ['run.state', 'timed_out'],
    ]);
    expect(lines.slice(0, -1).map((e) => e.id)).toEqual([...lines.slice(0, -1).map((e) => e.id)].sort((a, b) => a - b));
    expect(lines.at(-1)).toEqual({ run: expect.objectContaining({ id: runId, state: 'timed_out', reason: 'the timebox (20m) ran out' }) });
  });

  it('when the watch runs on a terminal, then the screen is drawn in place, and Ctrl-C typed there detaches with 130 and says how to come back', async () => {
    // script(1) gives the CLI a real pseudo-terminal (70×30); ^C typed into it is the user's Ctrl-C.
    const command = `stty cols 70 rows 30; exec '${process.execPath}' '${cli}' scenario run lab1-high-latency`;
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...lab.env, TERM: 'xterm' }, cwd: repoRoot });
    spawned.push(terminal);
    let screen = '';
    terminal.stdout.on('data', (chunk) => {
      screen += chunk;
    });
    const exited = new Promise<number | null>((resolve) => terminal.on('exit', (code) => resolve(code)));
    await waitFor('the run to be created', async () => lab.api.runs().find((r) => r.state === 'warming'), { timeoutMs: 15_000, intervalMs: 50 });
    const runId = lab.api.runs().find((r) => r.state === 'warming')!.id;
    lab.api.setState(runId, 'live', null, 35);
    lab.api.setStatus(runId, { phase: 'live', signals: { checkoutRate: 9.7, errorRatio: 0.002, p95Ms: 805 }, firingAlerts: ['ApiHighLatencyP95'] });
    await waitFor('the screen to show the firing alert', async () => screen.includes('alerts  ApiHighLatencyP95'), { timeoutMs: 10_000, intervalMs: 50 });

    terminal.stdin.write('\x03');

    expect(await exited).toBe(130);
    expect(screen).toContain('state   live');
    expect(screen).toContain('\x1b[1mCheckout is slow · lab1-high-latency\x1b[22m'); // colour: a terminal, NO_COLOR unset
    expect(screen).toContain(`lab: detached; run ${runId} goes on (the lab owns it)`);
    expect(screen).toContain(`lab scenario watch ${runId}`);
    expect(lab.api.runById(runId).state).toBe('live');
    lab.api.setState(runId, 'stopped');
  });

  it('when `stop` is asked for, then the run in progress is stopped and the CLI says cleanup is done; with none going, it says there is nothing to stop', async () => {
    const going = lab.api.createRun('lab1-high-latency');

    const stopped = await run('stop');
    const nothing = await run('stop');

    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe(`run ${going.id} stopped: its faults are cleared, releases, flags and load restored\n`);
    expect(lab.api.runById(going.id).state).toBe('stopped');
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toBe('lab: no run is in progress: nothing to stop\n');
  });

  it('when options are wrong, then the CLI says which before asking the lab anything, and exits 2', async () => {
    const before = lab.api.requests.length;

    const results = await Promise.all([
      run('run', 'lab1-high-latency', '--speed', '500'),
      run('run', 'lab1-high-latency', '--seed', '1.5'),
      run('list', '--bot'),
      run('run'),
      run('dance'),
    ]);

    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(results.map((r) => r.stderr.split('\n')[0])).toEqual([
      'lab: --speed must be a number from 0.1 to 100, not "500"',
      'lab: --seed must be a whole number, not "1.5"',
      'lab: lab scenario list takes no --bot',
      'lab: usage: lab scenario run <scenario id>',
      'lab: unknown scenario action "dance"; usage: lab scenario <action> …',
    ]);
    expect(lab.api.requests.length).toBe(before);
  });

  it('when the instructor pauses, resumes and extends a live run, then each is asked with the instructor token and said in one line; refusals are the API’s words', async () => {
    const going = lab.api.createRun('lab1-high-latency');
    lab.addInstructorToken();
    const warming = await run('pause', going.id);
    expect(warming.code).toBe(1);
    expect(warming.stderr).toBe(`lab: Run ${going.id} is warming: pause, resume and extend apply to a live run\n`);

    lab.api.setState(going.id, 'live', null, 35);
    const paused = await run('pause', going.id);
    const again = await run('pause', going.id);
    const resumed = await run('resume', going.id);
    const extended = await run('extend', going.id, '--minutes', '10');
    const json = await run('extend', going.id, '--minutes', '5', '--json');

    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toBe(`run ${going.id} paused: no step fires and the timebox stands still; \`lab scenario resume ${going.id}\` goes on\n`);
    expect(again.stderr).toBe('lab: The run is already paused (POST …/resume continues it)\n');
    expect(resumed.stdout).toBe(`run ${going.id} resumed: its timeline goes on\n`);
    expect(extended.stdout).toBe(`run ${going.id} extended by 10 min: its timebox is 30 min now\n`);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: going.id, timeboxMs: 35 * 60_000, pausedAt: null });
    const holds = lab.api.requests.filter((r) => /\/(pause|resume|extend)$/.test(r.path));
    expect(holds.map((r) => [r.path.split('/').at(-1), r.role, r.body])).toEqual([
      ['pause', 'instructor', undefined],
      ['pause', 'instructor', undefined],
      ['pause', 'instructor', undefined],
      ['resume', 'instructor', undefined],
      ['extend', 'instructor', { minutes: 10 }],
      ['extend', 'instructor', { minutes: 5 }],
    ]);

    const bad = await Promise.all([run('extend', going.id, '--minutes', '45'), run('extend', going.id), run('pause')]);
    expect(bad.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(bad.map((r) => r.stderr.split('\n')[0])).toEqual([
      'lab: --minutes must be a whole number from 1 to 30, not "45"',
      'lab: usage: lab scenario extend <run id> --minutes N (1..30)',
      'lab: usage: lab scenario pause <run id>',
    ]);
    lab.api.setState(going.id, 'stopped');
  }, 90_000);
});

import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { prometheusClient } from '@firedrill/kit';
import { opsApiStepRecorder } from '@firedrill/training';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../cli/command.ts';
import type { LabConfig } from '../config/lab-config.ts';
import { writeLabState } from '../supervisor/lab-state.ts';
import { labExecutors, runbookCommand } from './runbook.ts';

/** A lab.json naming this (live) process as the supervisor: `runningLab` finds a lab, nothing else is asked before the team is decided. */
function stateDirOf(teams?: string[]): LabConfig {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-team-'));
  writeLabState(stateDir, { pid: process.pid, controlPort: 1, portBase: 7400, startedAt: '', processes: {}, ...(teams && { teams }) });
  return { stateDir } as LabConfig;
}

const runbookRun = (config: LabConfig, team?: string) =>
  runbookCommand.run({ values: { 'dry-run': true, ...(team !== undefined && { team }) }, positionals: ['run', 'latency-diagnose'], config });

describe('lab runbook run --team', () => {
  beforeEach(() => {
    // The lab's own user, not a trainee: no token of its own (a trainee's team would come from the training process).
    vi.stubEnv('FIREDRILL_TOKEN', '');
    vi.stubEnv('HOME', mkdtempSync(path.join(os.tmpdir(), 'runbook-home-')));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("when the lab is a class and no team is named, then it is a usage error naming the class's teams", async () => {
    await expect(runbookRun(stateDirOf(['blue', 'green']))).rejects.toThrow(new UsageError("in a class, name the team's shop: --team blue|green"));
  });

  it("when the team named is not one of the class's, then it is a usage error naming them", async () => {
    await expect(runbookRun(stateDirOf(['blue', 'green']), 'red')).rejects.toThrow(
      new UsageError(`--team must be one of this class's teams (blue, green), not "red"`),
    );
  });

  it('when the lab runs one shop, then --team is refused: it has no team’s shop', async () => {
    await expect(runbookRun(stateDirOf(), 'blue')).rejects.toThrow(new UsageError('this lab runs one shop (no --teams): drop --team'));
  });

  it('when --team is given to another action, then it is refused as before', async () => {
    await expect(runbookCommand.run({ values: { team: 'blue' }, positionals: ['list'], config: stateDirOf(['blue']) })).rejects.toThrow(
      'lab runbook list takes no --team',
    );
  });
});

describe("the runbook's means against a team's shop", () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  beforeEach(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url?.startsWith('/api/v1/query')) res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: [0, '1'] }] } }));
      else res.writeHead(req.url === '/api/health/ready' ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    seen.length = 0;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("when a lever is pulled and a step recorded for team green, then both name green; commands and probes reach green's shop and Prometheus", async () => {
    const posts: Array<{ path: string; body: unknown }> = [];
    const training = {
      async post<T>(path: string, body: unknown) {
        posts.push({ path, body });
        return { summary: 'done' } as T;
      },
    };
    const shop = {
      team: 'green',
      apiUrl: base,
      paymentsUrl: `${base}/payments-of-green`,
      prometheus: prometheusClient({ url: base, credentials: { username: 'lab', password: 'p@ss' } }),
    };
    const executors = labExecutors(shop, training);
    const signal = new AbortController().signal;

    expect(await executors.applyLever('rollback api', { signal })).toEqual({ ok: true, output: 'done' });
    expect(posts).toEqual([{ path: '/api/levers', body: { lever: 'rollback api', team: 'green' } }]);

    const command = await executors.runCommand('printf "%s %s %s" "$FIREDRILL_TEAM" "$FIREDRILL_API_URL" "$FIREDRILL_PAYMENTS_URL"', {
      signal,
      timeoutMs: 5000,
    });
    expect(command).toEqual({ ok: true, output: `green ${base} ${base}/payments-of-green` });
    // The commands' curl asks the same Prometheus as the probes, its credentials in the URL.
    const curl = await executors.runCommand('curl -fsS -G "$FIREDRILL_PROMETHEUS_URL/api/v1/query" --data-urlencode query=up', { signal, timeoutMs: 5000 });
    expect(curl.ok, curl.output).toBe(true);
    expect(seen.at(-1)).toBe(`/api/v1/query?query=up Basic ${Buffer.from('lab:p@ss').toString('base64')}`);

    expect(
      await executors.checkProbe(
        { name: 'ready', kind: 'http', service: 'api', path: '/api/health/ready', status: 200, toleranceMs: 0 },
        { timeoutMs: 2000, signal },
      ),
    ).toEqual({
      ok: true,
      output: 'HTTP 200',
    });
    const promql = await executors.checkProbe({ name: 'p95', kind: 'promql', promql: 'up == 1', toleranceMs: 0 }, { timeoutMs: 2000, signal });
    expect(promql.ok).toBe(true);

    await opsApiStepRecorder(training, shop.team).record({ runbook: 'latency-diagnose', step: 'p95 per service', status: 'passed', output: '' });
    expect(posts.at(-1)).toEqual({
      path: '/api/runbooks/steps',
      body: { runbook: 'latency-diagnose', step: 'p95 per service', status: 'passed', output: '', team: 'green' },
    });
  });
});

import { portsFor } from '@firedrill/lab-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLab, startFakeLab } from '../../test/fake-runs-api.ts';
import { LabRefusal } from '../cli/command.ts';
import { trainingClient } from '../cli/training-client.ts';
import { botSession, labUrlsOf, loadBot, type RunBot } from './bot-trainee.ts';
import { type RunsApi, runsApi } from '@firedrill/training';

describe('the bot trainee, for --bot', () => {
  it('when the training package exports no runBot, then loading it refuses with a message that says what to do instead', async () => {
    const loading = loadBot(async () => ({ startTraining: () => undefined }));

    await expect(loading).rejects.toBeInstanceOf(LabRefusal);
    await expect(loading).rejects.toThrow(
      '--bot: this lab has no bot trainee (@firedrill/training exports no runBot); run without --bot and pull the levers yourself',
    );
  });

  it('when the training package exports runBot, then that function is what --bot runs', async () => {
    const runBot = async () => 'worked';

    expect(await loadBot(async () => ({ runBot }))).toBe(runBot);
  });

  it("when the bot is given the lab's URLs, then they are the running lab's ports: the shop, alerts, levers and Prometheus", () => {
    const single = { ports: portsFor(7500), state: { portBase: 7500 } };
    // A single lab's run may be for a training team: its one shop still, and no team to pick in its series.
    expect(labUrlsOf(single, 'ops')).toEqual(labUrlsOf(single, null));
    expect(labUrlsOf(single, null)).toEqual({
      api: 'http://127.0.0.1:7500',
      payments: 'http://127.0.0.1:7501',
      worker: 'http://127.0.0.1:7502',
      chaos: 'http://127.0.0.1:7503',
      training: 'http://127.0.0.1:7504',
      prometheus: 'http://127.0.0.1:7590',
      alertmanager: 'http://127.0.0.1:7593',
    });
  });

  it("when the run is a class's team's, then the bot reaches that team's shop and names the team; the shared planes stay the lab's", () => {
    const klass = { ports: portsFor(7400), state: { portBase: 7400, teams: ['blue', 'green'] } };
    expect(labUrlsOf(klass, 'green')).toEqual({
      team: 'green',
      api: 'http://127.0.0.1:7600',
      payments: 'http://127.0.0.1:7601',
      worker: 'http://127.0.0.1:7602',
      chaos: 'http://127.0.0.1:7403',
      training: 'http://127.0.0.1:7404',
      prometheus: 'http://127.0.0.1:7490',
      alertmanager: 'http://127.0.0.1:7493',
    });
  });
});

describe('the bot trainee beside a watch', () => {
  let lab: FakeLab;
  let api: RunsApi;
  const labUrls = labUrlsOf({ ports: portsFor(7500), state: { portBase: 7500 } }, null);
  const labUrlsFor = () => labUrls;

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

  it('when started, then the bot gets the live run, the lab URLs and the operator token, logs through the watch, and is stopped by its signal', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    lab.api.setState(run.id, 'live');
    const log: string[] = [];
    let given: Parameters<RunBot>[0] | undefined;
    const bot: RunBot = async (input) => {
      given = input;
      input.log('paged: ApiHighLatencyP95');
      await new Promise((resolve) => input.signal.addEventListener('abort', resolve));
    };
    const session = botSession(bot, {
      api,
      runId: run.id,
      labUrlsFor,
      operatorToken: () => 'operator-token-from-the-state-dir',
      log: (line) => log.push(line),
    });

    session.start();
    await waitUntil(() => given !== undefined);
    const stopped = await session.stop();

    expect(stopped).toBe(true);
    expect(given).toMatchObject({ run: { id: run.id, state: 'live' }, labUrls, operatorToken: 'operator-token-from-the-state-dir' });
    expect(given?.signal.aborted).toBe(true);
    expect(log).toEqual(['the run is live: the bot trainee takes the pager', 'paged: ApiHighLatencyP95']);
    lab.api.setState(run.id, 'stopped');
  });

  it('when the bot fails, then the failure is told through the watch and nothing is thrown: the run goes on without it', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    const log: string[] = [];
    const session = botSession(
      async () => {
        throw new Error('no runbook for this symptom');
      },
      { api, runId: run.id, labUrlsFor, operatorToken: () => 'token', log: (line) => log.push(line) },
    );

    session.start();
    await waitUntil(() => log.length === 2);
    await session.stop();

    expect(log[1]).toBe('the bot trainee failed: no runbook for this symptom');
    lab.api.setState(run.id, 'stopped');
  });

  it('when the run ended, then finish waits for the bot to end by itself (its resolve and review), and gives up after its wait', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    let release: (() => void) | undefined;
    const session = botSession(
      async (input) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        input.log('review submitted');
      },
      { api, runId: run.id, labUrlsFor, operatorToken: () => 'token', log: () => {} },
    );
    const idle = botSession(async () => {}, { api, runId: run.id, labUrlsFor, operatorToken: () => 'token', log: () => {} });

    session.start();
    await waitUntil(() => release !== undefined);
    expect(await session.finish(50)).toBe(false);
    const finishing = session.finish(5_000);
    release?.();
    expect(await finishing).toBe(true);
    expect(await idle.finish(50)).toBe(false);
    await session.stop();
    lab.api.setState(run.id, 'stopped');
  });

  it('when a bot ignores its signal, then stopping it still returns; a bot never started is not waited for', async () => {
    const run = lab.api.createRun('lab1-high-latency');
    let started = false;
    const stubborn = botSession(
      async () => {
        started = true;
        await new Promise(() => {});
      },
      { api, runId: run.id, labUrlsFor, operatorToken: () => 'token', log: () => {}, stopWaitMs: 50 },
    );
    const idle = botSession(async () => {}, { api, runId: run.id, labUrlsFor, operatorToken: () => 'token', log: () => {} });

    stubborn.start();
    await waitUntil(() => started);

    expect(await stubborn.stop()).toBe(true);
    expect(await idle.stop()).toBe(false);
    lab.api.setState(run.id, 'stopped');
  });
});

/** Polls a condition the fake answers at once; fails the test after 5 s. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

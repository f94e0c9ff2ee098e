import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLabConfig } from '../src/config/lab-config.ts';
import type { ProcessSpec } from '../src/topology/process-spec.ts';
import type { ProcessStatus } from '../src/supervisor/supervised-process.ts';
import { Supervisor } from '../src/supervisor/supervisor.ts';

/** A stand-in process: plain node running `script`, healthy whenever `healthy()` says so. */
function fakeProcess(name: string, script: string, options: { dependsOn?: string[]; healthy?: () => boolean } = {}): ProcessSpec {
  return {
    name,
    kind: 'service',
    port: 0,
    url: `fake://${name}`,
    dependsOn: options.dependsOn ?? [],
    restartOnCrash: true,
    health: async () => options.healthy?.() ?? true,
    launch: () => ({ command: process.execPath, args: ['-e', script] }),
  };
}

const forever = 'setInterval(() => {}, 1000)';

describe('Supervisor', () => {
  let supervisor: Supervisor | undefined;
  let stateDir: string;
  const messages: string[] = [];

  const start = (specs: ProcessSpec[]) => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-supervisor-'));
    supervisor = new Supervisor(loadLabConfig({ LAB_STATE_DIR: stateDir }), specs, (m) => messages.push(m));
    supervisor.start(0);
    return supervisor;
  };
  const statusOf = async (name: string): Promise<ProcessStatus> => (await supervisor!.status()).find((s) => s.name === name)!;
  const until = async (name: string, predicate: (s: ProcessStatus) => boolean): Promise<ProcessStatus> => {
    for (let i = 0; i < 150; i++) {
      const s = await statusOf(name);
      if (predicate(s)) return s;
      await sleep(100);
    }
    return statusOf(name);
  };

  afterEach(async () => {
    await supervisor?.shutdown('test over');
    supervisor = undefined;
    messages.length = 0;
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('when a process crashes, then it is restarted and the restart is counted', async () => {
    start([fakeProcess('api', forever)]);
    const first = await until('api', (s) => s.healthy);

    process.kill(first.pid!, 'SIGKILL');

    const after = await until('api', (s) => s.restarts === 1 && s.healthy);
    expect(after).toMatchObject({ healthy: true, restarts: 1, state: 'running' });
    expect(after.pid).not.toBe(first.pid);
  });

  it('when a process exits with code 0, then it stays down until someone restarts it', async () => {
    start([fakeProcess('worker', 'setTimeout(() => process.exit(0), 300)')]);
    await until('worker', (s) => s.state === 'exited');
    await sleep(1_500); // longer than the first crash backoff: a crash would have restarted by now

    expect(await statusOf('worker')).toMatchObject({ state: 'exited', pid: null, healthy: false, restarts: 0 });

    await supervisor!.restart('worker');
    expect(await statusOf('worker')).toMatchObject({ restarts: 1, pid: expect.any(Number) });
  });

  it('when a dependency is not healthy yet, then its dependents are not started', async () => {
    let databaseReady = false;
    start([fakeProcess('postgres', forever, { healthy: () => databaseReady }), fakeProcess('api', forever, { dependsOn: ['postgres'] })]);
    await until('postgres', (s) => s.pid !== null);
    await sleep(500);

    expect(await statusOf('api')).toMatchObject({ state: 'waiting', pid: null });

    databaseReady = true;
    expect(await until('api', (s) => s.healthy)).toMatchObject({ healthy: true });
  });

  it('when the lab shuts down, then processes stop in reverse start order and none is left', async () => {
    start([
      fakeProcess('postgres', forever),
      fakeProcess('payments', forever, { dependsOn: ['postgres'] }),
      fakeProcess('api', forever, { dependsOn: ['payments'] }),
    ]);
    await supervisor!.whenAllRunning();
    const pids = (await supervisor!.status()).map((s) => s.pid!);

    await supervisor!.shutdown('test');

    expect(messages.filter((m) => m.endsWith('stopped (signal SIGTERM)')).map((m) => m.split(':')[0])).toEqual(['api', 'payments', 'postgres']);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

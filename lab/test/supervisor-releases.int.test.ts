import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@firedrill/lab-infra';
import { loadLabConfig } from '../src/config/lab-config.ts';
import { isAlive } from '../src/supervisor/lab-state.ts';
import { RefusedChangeError, Supervisor } from '../src/supervisor/supervisor.ts';
import type { ProcessSpec } from '../src/topology/process-spec.ts';

/** A stand-in shop service: plain node that stays up; what the supervisor gives it is read from /proc. */
function service(name: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    name,
    kind: 'service',
    port: 0,
    url: `fake://${name}`,
    dependsOn: [],
    restartOnCrash: true,
    versioned: true,
    health: async () => true,
    launch: () => ({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], env: { PATH: process.env.PATH ?? '' } }),
    ...extra,
  };
}
const worker = (): ProcessSpec => service('worker', { scalable: { max: 4, replica: (index) => service(`worker-${index}`) } });
const infrastructure: ProcessSpec = { ...service('postgres'), kind: 'infrastructure', versioned: false };

/** SERVICE_VERSION as the process really has it. */
function versionOf(pid: number): string | undefined {
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return environ.find((entry) => entry.startsWith('SERVICE_VERSION='))?.slice('SERVICE_VERSION='.length);
}

describe('Supervisor: deploy and scale', () => {
  // Each test its own state dir: releases.json is what carries releases to the next supervisor.
  let stateDir: string;
  let supervisor: Supervisor | undefined;
  const start = () => {
    supervisor = new Supervisor(loadLabConfig({ LAB_STATE_DIR: stateDir }), [infrastructure, service('payments'), worker()], () => {});
    supervisor.start(0);
    return supervisor;
  };
  const running = async (s: Supervisor, name: string) =>
    waitFor(`${name} running`, async () => (await s.status()).find((p) => p.name === name && p.state === 'running' && p.pid !== null), { timeoutMs: 15_000 });

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-releases-'));
  });
  afterEach(async () => {
    await supervisor?.shutdown('test over');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('when payments is deployed at 2.4.0, then it restarts with SERVICE_VERSION=2.4.0, keeps it through a restart and a new supervisor, and status says so', async () => {
    const s = start();
    const before = await running(s, 'payments');
    expect(before.version).toBe('2.3.0');
    expect(versionOf(before.pid!)).toBeUndefined();

    await s.deploy('payments', '2.4.0');
    const deployed = await running(s, 'payments');
    expect(deployed.pid).not.toBe(before.pid);
    expect(versionOf(deployed.pid!)).toBe('2.4.0');
    expect(deployed.version).toBe('2.4.0');

    await s.restart('payments');
    expect(versionOf((await running(s, 'payments')).pid!)).toBe('2.4.0');

    await s.shutdown('next supervisor');
    const next = start();
    expect(versionOf((await running(next, 'payments')).pid!)).toBe('2.4.0');
  });

  it('when the worker is scaled to 3 and back to 1, then worker-2 and worker-3 really run and then are gone, and a lab process cannot be deployed or scaled', async () => {
    const s = start();
    await running(s, 'worker');
    await s.scale('worker', 3);
    const replicas = await Promise.all([running(s, 'worker-2'), running(s, 'worker-3')]);
    for (const replica of replicas) expect(isAlive(replica.pid!)).toBe(true);

    await s.scale('worker', 1);
    expect((await s.status()).map((p) => p.name)).toEqual(['payments', 'worker', 'postgres']);
    await waitFor('replicas gone', async () => replicas.every((r) => !isAlive(r.pid!)), { timeoutMs: 15_000 });

    await expect(s.scale('worker', 5)).rejects.toThrow(/1 to 4/);
    await expect(s.scale('payments', 2)).rejects.toBeInstanceOf(RefusedChangeError);
    await expect(s.deploy('postgres', '2.4.0')).rejects.toBeInstanceOf(RefusedChangeError);
  });

  it('when the worker runs 2 processes at a new version and a new supervisor starts, then both come back at that version', async () => {
    const s = start();
    await running(s, 'worker');
    await s.scale('worker', 2);
    await s.deploy('worker', '2.5.0');
    await s.shutdown('next supervisor');
    const next = start();
    const [first, second] = await Promise.all([running(next, 'worker'), running(next, 'worker-2')]);
    expect([versionOf(first.pid!), versionOf(second.pid!)]).toEqual(['2.5.0', '2.5.0']);
  });
});

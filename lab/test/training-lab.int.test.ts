import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNativeLab, waitFor, type NativeLab, type ServiceStatus } from '@firedrill/lab-infra';

/**
 * The training process in a whole native lab, driven through the real CLI: a deploy restarts
 * payments on the new version (the supervisor gives it SERVICE_VERSION), a rollback returns it,
 * `lab scale worker 2` really runs a second worker process and `lab scale worker 1` stops it, and
 * a flag set with `lab flags set` is what the services' provider reads from GET /api/flags.
 */
let lab: NativeLab;
beforeAll(async () => {
  lab = await startNativeLab();
}, 150_000);
afterAll(async () => {
  await lab?.down();
});

const entry = async (name: string): Promise<ServiceStatus | undefined> => (await lab.status()).find((s) => s.name === name);

/** SERVICE_VERSION as the running process really has it. */
function versionOf(pid: number): string | undefined {
  return readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .find((e) => e.startsWith('SERVICE_VERSION='))
    ?.slice('SERVICE_VERSION='.length);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('training in the native lab', () => {
  it('when payments is deployed at 2.4.0 and rolled back, then the supervisor restarts it on each version and the history shows both', async () => {
    const before = await entry('payments');
    const deploy = await lab.lab('deploy', 'payments', '2.4.0');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/payments is healthy .*version 2\.4\.0/);
    const deployed = await entry('payments');
    expect(deployed?.pid).not.toBe(before?.pid);
    expect(deployed?.version).toBe('2.4.0');
    expect(versionOf(deployed!.pid!)).toBe('2.4.0');

    const rollback = await lab.lab('rollback', 'payments');
    expect(rollback.code, rollback.stderr).toBe(0);
    const rolledBack = await entry('payments');
    expect(rolledBack?.version).toBe('2.3.0');
    expect(versionOf(rolledBack!.pid!)).toBe('2.3.0');

    const releases = JSON.parse((await lab.lab('releases', 'payments', '--json')).stdout) as {
      current: Record<string, string>;
      releases: Array<{ action: string; version: string }>;
    };
    expect(releases.current.payments).toBe('2.3.0');
    expect(releases.releases.map((r) => [r.action, r.version])).toEqual([
      ['rollback', '2.3.0'],
      ['deploy', '2.4.0'],
    ]);
  });

  it('when the worker is scaled to 2 and back to 1, then a second worker process really runs and then is gone', async () => {
    const up = await lab.lab('scale', 'worker', '2');
    expect(up.code, up.stderr).toBe(0);
    const second = await entry('worker-2');
    expect(second?.healthy).toBe(true);
    expect(isRunning(second!.pid!)).toBe(true);
    expect((await entry('worker'))?.healthy).toBe(true);
    // Its own port from the reserved range, answering its own health check.
    expect(second?.port).toBe(lab.ports.workerReplicas);
    expect((await fetch(`http://127.0.0.1:${second!.port}/health/ready`)).status).toBe(200);

    const down = await lab.lab('scale', 'worker', '1');
    expect(down.code, down.stderr).toBe(0);
    expect(await entry('worker-2')).toBeUndefined();
    await waitFor('worker-2 gone', async () => !isRunning(second!.pid!), { timeoutMs: 15_000 });
  });

  it('when a flag is set with the CLI, then GET /api/flags answers it to the services (agent token)', async () => {
    const set = await lab.lab('flags', 'set', 'api.degraded-mode', 'true');
    expect(set.code, set.stderr).toBe(0);
    const agentToken = readFileSync(path.join(lab.stateDir, 'secrets', 'agent-token'), 'utf8').trim();
    const response = await fetch(`${lab.url('training')}/api/flags`, { headers: { authorization: `Bearer ${agentToken}` } });
    const body = (await response.json()) as { version: number; flags: Record<string, unknown> };
    expect(body.flags['api.degraded-mode']).toBe(true);
    expect(body.version).toBeGreaterThan(0);
    // Restored for whoever looks at this lab next (it is torn down anyway).
    expect((await lab.lab('flags', 'set', 'api.degraded-mode', 'false')).code).toBe(0);
  });
});

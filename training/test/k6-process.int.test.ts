/**
 * A load never outlives what started it: k6 runs in its own process group, and the group goes
 * when its parent exits or is signalled to death; if nothing else stops it, its duration does.
 * No shop is needed: the shoppers hit a closed port, which k6 counts as failures and carries on.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@firedrill/lab-infra';
import { startLoad } from '../src/load/k6-load.ts';
import { isRunning, processesWith } from './helpers/processes.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-k6-process-'));

afterAll(() => {
  // A failed test must not leave its k6 behind either.
  for (const pid of processesWith(scratch)) process.kill(pid, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * A Node process that starts a 5-minute load, prints k6's pid, then ends the way `ending` says.
 * It imports the package the way the training controller will.
 */
async function parentThatStartsLoad(
  ending: string,
): Promise<{ k6Pid: number; parentPid: number; parentExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; testId: string }> {
  const testId = `parent-${randomUUID().slice(0, 8)}`;
  const request = {
    script: 'shop-journey',
    profile: 'steady',
    rate: 1,
    duration: '5m',
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    testId,
    logFile: path.join(scratch, testId, 'k6.log'),
  };
  const code = `
    import { startLoad } from '@firedrill/training';
    const load = startLoad(${JSON.stringify(request)});
    console.log(load.pid);
    ${ending}
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const parentExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    parent.once('exit', (c, s) => resolve({ code: c, signal: s })),
  );
  let out = '';
  parent.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const k6Pid = await waitFor('the parent to print the pid of its k6', async () => Number.parseInt(out, 10) || undefined, { timeoutMs: 15_000 });
  return { k6Pid, parentPid: parent.pid ?? -1, parentExit, testId };
}

describe('a load and the process that started it', () => {
  it('when the parent calls process.exit while the load runs, then its k6 is killed with it', async () => {
    const { k6Pid, parentExit, testId } = await parentThatStartsLoad(`
      await new Promise((resolve) => setTimeout(resolve, 1500));
      process.exit(0);
    `);
    expect(isRunning(k6Pid), 'k6 running while its parent is').toBe(true);
    expect(await parentExit).toEqual({ code: 0, signal: null });
    await waitFor('k6 to be gone', async () => !isRunning(k6Pid), { timeoutMs: 5_000 });
    expect(processesWith(testId)).toEqual([]);
  });

  it('when the parent is killed by SIGTERM and has no handler of its own, then its k6 goes too and the parent still dies of the signal', async () => {
    const { k6Pid, parentPid, parentExit, testId } = await parentThatStartsLoad('setInterval(() => {}, 1000);');
    expect(isRunning(k6Pid)).toBe(true);
    process.kill(parentPid, 'SIGTERM');
    expect(await parentExit).toEqual({ code: null, signal: 'SIGTERM' });
    await waitFor('k6 to be gone', async () => !isRunning(k6Pid), { timeoutMs: 5_000 });
    expect(processesWith(testId)).toEqual([]);
  });

  it('when nothing stops it, then k6 ends by itself at its duration', async () => {
    const testId = `bounded-${randomUUID().slice(0, 8)}`;
    const load = startLoad({
      script: 'shop-journey',
      profile: 'smoke',
      rate: 2,
      duration: '2s',
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      testId,
      logFile: path.join(scratch, testId, 'k6.log'),
    });
    // Every request is refused, so the failure-rate threshold is crossed: k6 says so with 99.
    const exit = await load.exited;
    expect(exit).toEqual({ code: 99, signal: null });
    expect(isRunning(load.pid)).toBe(false);
    const summary = await load.summary();
    expect(summary?.thresholdsPassed).toBe(false);
    expect(summary?.crossed).toContain('http_req_failed: rate<0.05');
  });
});

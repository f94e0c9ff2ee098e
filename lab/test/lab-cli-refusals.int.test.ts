/**
 * What a user sees when the lab refuses or is asked for help: the real `lab` CLI, run as a child
 * process, with no lab running.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortBlock, portsFor } from '@firedrill/lab-infra';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');
const stackFrame = /^\s+at /m;

describe('lab CLI refusals and usage', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let base: number;

  const lab = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env, cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-lab-refusals-'));
    chmodSync(stateDir, 0o755);
    base = await freePortBlock();
    env = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(base) };
  });
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('when a port of the lab is held by another program, then `lab up` refuses in one line naming the port and LAB_PORT_BASE, and starts nothing', async () => {
    const squatter = net.createServer();
    const apiPort = portsFor(base).api;
    await new Promise<void>((resolve) => squatter.listen(apiPort, '127.0.0.1', resolve));
    try {
      const up = await lab('up', '--detach');

      expect(up.code).toBe(1);
      expect(up.stderr).not.toMatch(stackFrame);
      expect(up.stderr.trimEnd().split('\n')).toEqual([
        `lab: port already in use: ${apiPort} (api); another program or another lab holds it: choose another block with LAB_PORT_BASE (now ${base})`,
      ]);
      expect((await lab('status')).code).toBe(3); // nothing was started
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('when `lab chaos` is run without a command, then it prints its own usage listing every command', async () => {
    const help = await lab('chaos');

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: lab chaos <command>/);
    for (const command of ['catalogue', 'inject', 'list', 'clear', 'halt', 'journal']) expect(help.stdout).toContain(`  ${command}`);
  });

  it('when `lab chaos` is given an unknown command, then it is a usage error in one line', async () => {
    const wrong = await lab('chaos', 'explode');

    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe('lab: unknown chaos command "explode"; run `lab chaos` for the list\n');
  });
});

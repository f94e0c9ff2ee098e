import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortBlock } from './free-port.ts';
import type { StatusEntry } from './lab-status.ts';
import { portsFor, type PortName } from './port-layout.ts';

// The CLI is run as a child process, never imported: this package does not depend on it.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One entry of `lab status --json`. */
export type ServiceStatus = StatusEntry;

/**
 * A real native lab of the test's own (temp state dir, free port block), driven through the real
 * `lab` CLI. `down()` leaves nothing running and removes the state dir.
 */
export async function startNativeLab(extraEnv: Record<string, string> = {}) {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-lab-'));
  chmodSync(stateDir, 0o755); // Postgres runs as its own user when we are root: it must reach its data dir
  // A class (LAB_TEAMS=blue,green) takes one more block of 100 ports per team.
  const base = await freePortBlock(extraEnv.LAB_TEAMS ? extraEnv.LAB_TEAMS.split(',').length : 0);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_STATE_DIR: stateDir, LAB_PORT_BASE: String(base), ...extraEnv };
  const lab = (...args: string[]): Promise<CliRun> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env, cwd: repoRoot, timeout: 150_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  const up = await lab('up', '--detach');
  if (up.code !== 0) {
    await lab('down');
    throw new Error(`lab up failed (${up.code}):\n${up.stderr}`);
  }
  const ports = portsFor(base);
  const url = (name: PortName) => `http://127.0.0.1:${ports[name]}`;
  const instructorToken = readFileSync(path.join(stateDir, 'secrets', 'instructor-token'), 'utf8').trim();
  return {
    stateDir,
    ports,
    url,
    lab,
    instructorToken,
    async status(): Promise<ServiceStatus[]> {
      return (JSON.parse((await lab('status', '--json')).stdout) as { services: ServiceStatus[] }).services;
    },
    /** A request to the chaos controller as the instructor. */
    chaos(method: string, route: string, body?: unknown): Promise<Response> {
      return fetch(`${url('chaos')}${route}`, {
        method,
        headers: { authorization: `Bearer ${instructorToken}`, 'x-firedrill-actor': 'test', ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
      });
    },
    async down(): Promise<void> {
      await lab('down');
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export type NativeLab = Awaited<ReturnType<typeof startNativeLab>>;

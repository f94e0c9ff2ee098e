import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliRun, NativeLab } from '@firedrill/lab-infra';

// The CLI is run as a child process, as a user types it: the test sees what a shell would.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const cli = path.join(repoRoot, 'lab', 'src', 'main.ts');

/** One shell on the lab's machine: the instructor's (the state dir's tokens) or a trainee's (FIREDRILL_TOKEN). */
export interface LabShell {
  /** Runs `lab <args…>` to its end. */
  run(...args: string[]): Promise<CliRun>;
  /** Starts `lab <args…>` and returns at once; `done` settles when it exits. */
  start(...args: string[]): { done: Promise<CliRun>; stderrSoFar: () => string };
}

/**
 * `lab` as someone on the lab's machine. Without a token the CLI falls back to the state dir's
 * tokens (the instructor's shell); with one, FIREDRILL_TOKEN is set and the lab takes the caller
 * for that trainee. HOME is a fresh directory either way, so no ~/.config/firedrill/token of the
 * machine's user slips in.
 */
export function labShell(lab: NativeLab, token?: string): LabShell {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: mkdtempSync(path.join(os.tmpdir(), 'firedrill-home-')),
    LAB_STATE_DIR: lab.stateDir,
    LAB_PORT_BASE: String(lab.ports.api),
    ...(token !== undefined && { FIREDRILL_TOKEN: token }),
  };
  return {
    run: (...args) =>
      new Promise((resolve) => {
        execFile(process.execPath, [cli, ...args], { env, cwd: repoRoot, timeout: 300_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        });
      }),
    start(...args) {
      const child = spawn(process.execPath, [cli, ...args], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
      return { done, stderrSoFar: () => stderr };
    },
  };
}

/** A CLI run that must have succeeded; its stdout. The message carries what the CLI said. */
export function ok(run: CliRun, what: string): string {
  if (run.code !== 0) throw new Error(`\`lab ${what}\` exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  return run.stdout;
}

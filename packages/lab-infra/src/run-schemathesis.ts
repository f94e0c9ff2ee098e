import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolsBinDir, which } from './binaries.ts';

export interface FuzzOptions {
  /** Extra request headers, e.g. `Authorization: Bearer …`. */
  headers?: string[];
  /** Test cases per operation; with the fixed seed, this bounds the run. */
  maxExamples?: number;
}

/**
 * The checks every service must pass: never a 5xx, every answer in its documented schema, and
 * only documented status codes.
 */
export const fuzzChecks = ['not_a_server_error', 'response_schema_conformance', 'status_code_conformance'];

/** The fixed seed: a failure found once is found again on every run and machine. */
export const fuzzSeed = 20_260_401;

/**
 * Runs schemathesis (installed by `lab setup`, found where the lab finds k6) against a served
 * OpenAPI document; resolves with its exit code and everything it printed.
 */
export async function runSchemathesis(schemaUrl: string, options: FuzzOptions = {}): Promise<{ exitCode: number | null; output: string }> {
  const bin = which('schemathesis', [toolsBinDir()]);
  if (!bin) throw new Error(`schemathesis is not installed; run \`npx lab setup\` (it installs it into ${toolsBinDir()})`);
  // Its report and hypothesis' example database go to a directory of the run's own, not the repo;
  // the services under test are on loopback, never behind a proxy the machine may set.
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  const args = [
    'run',
    schemaUrl,
    '--checks',
    fuzzChecks.join(','),
    '--max-examples',
    String(options.maxExamples ?? 25),
    '--seed',
    String(fuzzSeed),
    '--workers',
    '1',
    '--request-timeout',
    '10',
    ...(options.headers ?? []).flatMap((header) => ['--header', header]),
  ];
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(bin, args, {
        cwd: workDir,
        env: { ...process.env, NO_COLOR: '1', NO_PROXY: [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(',') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, output }));
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnK6, type K6Process } from '@firedrill/training';

const repo = path.resolve(import.meta.dirname, '..', '..');

/**
 * Starts k6 on one of bench/k6/*.js with the script's own env (BASE_URL, RATE or VUS, DURATION,
 * SUMMARY…), through the lab's one k6 launcher: a bench that dies takes its k6 with it.
 */
export function startK6(script: string, env: Record<string, string>): K6Process {
  return spawnK6({ script: path.join(repo, 'bench', 'k6', script), args: ['--quiet'], env });
}

/** Waits for a k6 run to end; anything but exit 0 is a failed run (the benches set no thresholds). */
export async function k6Finished(k6: K6Process): Promise<void> {
  const { code, signal } = await k6.exited;
  if (code !== 0) throw new Error(`k6 exited with ${code ?? signal}`);
}

/** Runs k6 to the end and returns the `metrics` of the summary it wrote to `summaryFile` (k6's JSON, untyped). */
export async function runK6(script: string, summaryFile: string, env: Record<string, string>): Promise<any> {
  await k6Finished(startK6(script, { ...env, SUMMARY: summaryFile }));
  return JSON.parse(readFileSync(summaryFile, 'utf8')).metrics;
}

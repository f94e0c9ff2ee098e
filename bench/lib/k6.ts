import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toolsBinDir } from '@firedrill/lab-infra';

const repo = path.resolve(import.meta.dirname, '..', '..');

/**
 * Starts k6 on one of bench/k6/*.js with the script's own env (BASE_URL, RATE or VUS, DURATION,
 * SUMMARY…). Quiet, no usage report, no extension lookups: the benches run offline.
 */
export function startK6(script: string, env: Record<string, string>): ChildProcess {
  return spawn(path.join(toolsBinDir(), 'k6'), ['run', '--quiet', path.join(repo, 'bench', 'k6', script)], {
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Waits for a k6 run to end; anything but exit 0 is a failed run (the benches set no thresholds). */
export async function k6Finished(child: ChildProcess): Promise<void> {
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`k6 exited with ${code}`);
}

/** Runs k6 to the end and returns the `metrics` of the summary it wrote to `summaryFile` (k6's JSON, untyped). */
export async function runK6(script: string, summaryFile: string, env: Record<string, string>): Promise<any> {
  await k6Finished(startK6(script, { ...env, SUMMARY: summaryFile }));
  return JSON.parse(readFileSync(summaryFile, 'utf8')).metrics;
}

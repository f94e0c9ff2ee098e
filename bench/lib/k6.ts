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

/**
 * How many times a k6 check passed, from a `--summary-export` file: the checks sit in the root
 * group and its nested groups, as a map by name (k6 ≤ 0.x) or a list (later exports). Undefined
 * when the file or the check is missing.
 */
export function checkPasses(summaryFile: string, checkName: string): number | undefined {
  let exported: { root_group?: unknown };
  try {
    exported = JSON.parse(readFileSync(summaryFile, 'utf8'));
  } catch {
    return undefined;
  }
  type Group = { checks?: unknown; groups?: unknown };
  const list = (value: unknown): Record<string, any>[] => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : []);
  let found: number | undefined;
  const visit = (group: Group) => {
    for (const check of list(group.checks)) if (check.name === checkName) found = (found ?? 0) + Number(check.passes ?? 0);
    for (const child of list(group.groups)) visit(child);
  };
  if (exported.root_group) visit(exported.root_group as Group);
  return found;
}

import type { LabConfig } from '../config/lab-config.ts';
import type { ProcessStatus } from '../supervisor/supervised-process.ts';

/** Progress and diagnostics go to stderr; stdout carries only a command's result. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function result(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Where to point a browser, a client or a tail: printed by `lab up`, detached or not. */
export function labUrls(config: Pick<LabConfig, 'logsDir' | 'stateDir'>, services: readonly Pick<ProcessStatus, 'name' | 'url' | 'kind'>[]): string {
  const entries = services.map((s) => [s.name, s.name === 'worker' ? `${s.url}/metrics` : s.url] as const);
  const rows: Array<readonly [string, string]> = [...entries, ['logs', config.logsDir]];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, url]) => `  ${name.padEnd(width)}  ${url}`).join('\n');
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scenario/load-scenario.ts';
import { formatProblem, type ScenarioProblem } from '../scenario/scenario-error.ts';
import { validateYaml } from '../scenario/yaml-file.ts';
import { runbookSchema, type Runbook } from './runbook-schema.ts';

/** The executable runbooks live beside the prose ones they carry out. */
export const defaultRunbooksDir = path.join(repoRoot, 'docs', 'runbooks');
export const runbookSuffix = '.runbook.yaml';

/** One thing wrong with a runbook file: file, line, dotted field, message (the scenario loader's shape). */
export type RunbookProblem = ScenarioProblem;

/** Every problem of a runbook file, one "file:line: field: message" line each. */
export class RunbookError extends Error {
  readonly problems: readonly RunbookProblem[];

  constructor(problems: readonly RunbookProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'RunbookError';
    this.problems = problems;
  }
}

export interface LoadedRunbook {
  runbook: Runbook;
  file: string;
}

/**
 * Reads and validates a runbook file; throws a RunbookError naming file, line and field for every
 * problem found. `displayRoot`: file names in messages are relative to it (default: the working
 * directory).
 */
export function loadRunbook(file: string, options: { displayRoot?: string } = {}): LoadedRunbook {
  const relative = path.relative(options.displayRoot ?? process.cwd(), file);
  const shown = relative.startsWith('..') ? file : relative;
  const problems: RunbookProblem[] = [];
  const problem = (line: number, field: string, message: string) => problems.push({ file: shown, line, field, message });

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunbookError([{ file: shown, line: 1, field: '', message: `cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const parsed = validateYaml(text, runbookSchema, shown);
  if (!parsed.ok) throw new RunbookError(parsed.problems);
  const runbook = parsed.data;
  const expected = path.basename(file).endsWith(runbookSuffix) ? path.basename(file).slice(0, -runbookSuffix.length) : undefined;
  if (expected === undefined) problem(1, '', `a runbook file's name ends in ${runbookSuffix}`);
  else if (runbook.name !== expected) problem(parsed.at(['name']), 'name', `must equal the file name "${expected}"`);
  if (problems.length > 0) throw new RunbookError(problems);
  return { runbook, file };
}

/** The runbook files of a folder, by name. */
export function listRunbookFiles(dir: string = defaultRunbooksDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.endsWith(runbookSuffix))
    .sort()
    .map((entry) => path.join(dir, entry));
}

/**
 * A runbook by name (docs/runbooks/<name>.runbook.yaml) or by path (anything with a slash or the
 * suffix: a trainee's own `./my.runbook.yaml`).
 */
export function runbookFile(nameOrPath: string, dir: string = defaultRunbooksDir): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith(runbookSuffix)) return path.resolve(nameOrPath);
  return path.join(dir, `${nameOrPath}${runbookSuffix}`);
}

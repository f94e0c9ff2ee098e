import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scenario/load-scenario.ts';
import { formatProblem } from '../scenario/scenario-error.ts';
import { validateYaml } from '../scenario/yaml-file.ts';
import { quizSchema, type Quiz } from './quiz-schema.ts';

/** The course's quiz: the training process serves this one. */
export const defaultQuizFile = path.join(repoRoot, 'quiz', 'day4.yaml');

/** Reads and validates a quiz file; throws one Error listing "file:line: field: message" for each problem. */
export function loadQuiz(file: string = defaultQuizFile): Quiz {
  const shown = path.relative(repoRoot, file).startsWith('..') ? file : path.relative(repoRoot, file);
  const parsed = validateYaml(readFileSync(file, 'utf8'), quizSchema, shown);
  if (!parsed.ok) throw new Error(`invalid quiz:\n${parsed.problems.map(formatProblem).join('\n')}`);
  const expected = path.basename(file, '.yaml');
  if (parsed.data.id !== expected)
    throw new Error(
      `invalid quiz:\n${formatProblem({ file: shown, line: parsed.at(['id']), field: 'id', message: `must equal the file name "${expected}"` })}`,
    );
  return parsed.data;
}

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parse } from 'yaml';
import type { PublicQuiz, QuizAnswers } from '@firedrill/training';
import { exitCodes, LabRefusal, UsageError, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';
import { trainingClient } from '../cli/training-client.ts';

interface QuizGradeAnswer {
  quiz: string;
  trainee: string;
  correct: number;
  total: number;
  counted: boolean;
  countedScore: { correct: number; total: number };
  results: Array<{ id: string; correct: boolean; chosen: number[]; answer?: number[]; explanation?: string }>;
}

/**
 * `lab quiz`: the Day 4 assessment. On a terminal it asks each question; `--answers file.yaml`
 * (question id: choice, or [choices]) answers without asking. The server grades; the first
 * attempt is the one that counts.
 */
export const quizCommand: Command = {
  name: 'quiz',
  summary: 'take the Day 4 quiz (asks on a terminal, or `--answers answers.yaml`); prints the score and what was wrong, with why',
  usage:
    'lab quiz [--answers answers.yaml] [--json]\n\n  answers.yaml: one line per question, "<question id>: <choice>" or "<question id>: [<choice>, <choice>]"; choices count from 1',
  options: { answers: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const client = trainingClient(lab, config);
    const quiz = await client.get<PublicQuiz>('/api/quiz');
    let answers: QuizAnswers;
    if (typeof values.answers === 'string') answers = readAnswers(values.answers);
    else if (process.stdin.isTTY) answers = await ask(quiz);
    else throw new UsageError('not a terminal: give the answers with --answers answers.yaml (`lab quiz --help`)');

    const grade = await client.post<QuizGradeAnswer>('/api/quiz/answers', { answers });
    if (values.json === true) {
      result(JSON.stringify(grade, null, 2));
      return exitCodes.ok;
    }
    result(report(quiz, grade));
    return exitCodes.ok;
  },
};

function readAnswers(file: string): QuizAnswers {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LabRefusal(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: write one "<question id>: <choice>" line per question`);
  // The server checks ids and choices and names every problem; here only the shape.
  return data as QuizAnswers;
}

async function ask(quiz: PublicQuiz): Promise<QuizAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answers: QuizAnswers = {};
  try {
    process.stdout.write(`${quiz.title}: ${quiz.questions.length} questions\n`);
    for (const [index, question] of quiz.questions.entries()) {
      process.stdout.write(`\n${index + 1}. ${question.text}\n${question.choices.map((choice, i) => `   ${i + 1}) ${choice}`).join('\n')}\n`);
      const prompt = question.type === 'single' ? `your answer (1-${question.choices.length}): ` : `your answers, e.g. 1,3 (every right one): `;
      for (;;) {
        const numbers = (await rl.question(prompt))
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number);
        const valid = numbers.length > 0 && numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= question.choices.length);
        if (valid && (question.type === 'multiple' || numbers.length === 1)) {
          answers[question.id] = question.type === 'single' ? numbers[0]! : numbers;
          break;
        }
        process.stdout.write(
          question.type === 'single'
            ? `   one number from 1 to ${question.choices.length}\n`
            : `   numbers from 1 to ${question.choices.length}, separated by commas\n`,
        );
      }
    }
  } finally {
    rl.close();
  }
  return answers;
}

function report(quiz: PublicQuiz, grade: QuizGradeAnswer): string {
  const lines = [`${grade.trainee}: ${grade.correct}/${grade.total} correct`];
  if (!grade.counted) lines.push(`(not counted: your first attempt, ${grade.countedScore.correct}/${grade.countedScore.total}, is the one that counts)`);
  for (const wrong of grade.results.filter((r) => !r.correct)) {
    const question = quiz.questions.find((q) => q.id === wrong.id);
    const name = (choices: number[]) => choices.map((c) => `${c}) ${question?.choices[c - 1] ?? '?'}`).join('; ');
    lines.push(
      '',
      `wrong: ${question?.text ?? wrong.id}`,
      `   you chose ${name(wrong.chosen)}`,
      `   right: ${name(wrong.answer ?? [])}`,
      `   ${wrong.explanation ?? ''}`,
    );
  }
  return lines.join('\n');
}
